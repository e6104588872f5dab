/**
 * Progress of a series towards a target from the registry (targets.ts), with the ESCAP measures
 * (progress.ts): the target's value, year and direction set the options; parity targets use ITU's
 * parity band (±0.02 around 1) as the tolerance.
 */
import type { YearValue } from './gap-fill.ts';
import { PARITY_BAND } from './parity.ts';
import {
  type AnticipatedProgress,
  anticipatedProgress,
  type CurrentStatus,
  currentStatusIndex,
  type ProgressOptions,
} from './progress.ts';
import { DIRECTION_SIGN, type Target } from './targets.ts';

export interface TargetProgress {
  target: Target;
  options: ProgressOptions;
  current: CurrentStatus;
  anticipated: AnticipatedProgress;
}

export function progressTowards(
  series: readonly YearValue[],
  target: Target,
  overrides: Omit<Partial<ProgressOptions>, 'target' | 'direction' | 'targetYear'> = {},
): TargetProgress {
  const direction = DIRECTION_SIGN[target.direction];
  const options: ProgressOptions = {
    ...overrides,
    target: target.target,
    direction,
    targetYear: target.year,
  };
  if (direction === 0 && overrides.tolerance === undefined && target.target === 1) {
    options.tolerance = (PARITY_BAND[1] - PARITY_BAND[0]) / 2;
  }
  return {
    target,
    options,
    current: currentStatusIndex(series, options),
    anticipated: anticipatedProgress(series, options),
  };
}

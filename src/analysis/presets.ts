/**
 * Named requests that reproduce the figures the resolutions cite, with the published values
 * alongside for comparison (never used to tune anything).
 */
import type { AggregateRequest } from './aggregate.ts';

export interface Published {
  /** The figure as the resolution states it. */
  value: number;
  /** Where it is stated. */
  citation: string;
}

export interface AggregatePreset {
  id: string;
  title: string;
  request: AggregateRequest;
  /** Published figures by group code. */
  published: Record<string, Published>;
  note: string;
}

const RES_75_202_P16 =
  'A/RES/75/202 para. 16 (ITU, Measuring digital development: Facts and Figures 2019, 2019 estimates)';

export const AGGREGATE_PRESETS: Record<string, AggregatePreset> = {
  'mobile-broadband-per-100': {
    id: 'mobile-broadband-per-100',
    title: 'Active mobile-broadband subscriptions per 100 people, 2019',
    request: {
      indicator: 'i271mw',
      denominator: 'WPP.POP',
      scale: 100,
      method: 'ratio',
      groups: ['DEVELOPED', 'DEVELOPING', 'LDC'],
      year: 2019,
    },
    published: {
      DEVELOPED: { value: 122, citation: RES_75_202_P16 },
      DEVELOPING: { value: 75, citation: RES_75_202_P16 },
      LDC: { value: 33, citation: RES_75_202_P16 },
    },
    note: "ITU's figures were end-of-year 2019 estimates that include ITU's imputations for non-reporting countries; Pontis sums reported counts only (see docs/methodology.md 3.11).",
  },
};

export interface GapPreset {
  id: string;
  title: string;
  indicator: string;
  by: 'sex';
  groups: string[];
  year: number;
  published: Record<string, Published>;
  note: string;
}

const RES_75_202_P20 =
  'A/RES/75/202 para. 20 (ITU, Measuring digital development: Facts and Figures 2019, 2019 estimates)';

export const GAP_PRESETS: Record<string, GapPreset> = {
  'internet-gender-gap': {
    id: 'internet-gender-gap',
    title: 'Gender gap in Internet use, (male − female) / male, 2019',
    indicator: 'IT.NET.USER.ZS',
    by: 'sex',
    groups: ['WORLD', 'LDC'],
    year: 2019,
    published: {
      WORLD: { value: 0.17, citation: RES_75_202_P20 },
      LDC: { value: 0.43, citation: RES_75_202_P20 },
    },
    note: "ITU's gaps rest on ITU's own estimates for every country; Pontis uses only countries with sex-disaggregated survey data and reports the share of the group's population they hold (see docs/methodology.md 3.11).",
  },
};

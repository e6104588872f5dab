export const LANGS = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Lang = (typeof LANGS)[number];
export type Names = Partial<Record<Lang, string>>;

export type Direction = 1 | -1;

export interface Indicator {
  /** The source's own code: WDI (IT.NET.USER.ZS), UN SDG series (IT_USE_ii99), ITU (i271mw). */
  code: string;
  names: Names;
  unit: string | null;
  /** 1: higher is better, -1: lower is better. */
  direction: Direction;
  /** SDG indicator numbers, e.g. ['17.8.1']. */
  sdg: string[];
  source: string | null;
  licence: string | null;
  definition: string | null;
}

/** Indicator metadata a reader found in the file (e.g. WDI's "Indicator Name"). */
export interface IndicatorHint {
  code: string;
  name?: string;
  unit?: string;
  source?: string;
}

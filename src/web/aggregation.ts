/**
 * How the site aggregates an indicator over a group, so that a group's figure is comparable with
 * its countries' values (methodology 3.2): shares of people and per-100 rates are averaged
 * weighted by population (UN WPP); prices as % of GNI, spending as % of GDP and other ratios
 * without a suitable weight use the median across countries; counts (numbers of people or
 * subscriptions) are not shown for groups, because a group total would not be comparable with a
 * country's count.
 */
import type { AggregateRequest } from '../analysis/aggregate.ts';

export type GroupAggregation = Pick<AggregateRequest, 'method' | 'denominator' | 'scale'> | null;

export function aggregationFor(code: string, unit: string | null): GroupAggregation {
  const u = (unit ?? '').toLowerCase();
  if (u === 'number' || u === 'persons' || /^(WPP\.POP|SP\.POP\.TOTL)$/.test(code)) return null;
  if (/gni|gdp|million|\$|ppp/.test(u) || /\$|_PPP$/.test(code)) {
    // GNI per person itself is population-weighted; prices and GDP shares use the median.
    if (/^NY\.GNP\.PCAP/.test(code)) return { method: 'wmean' };
    return { method: 'median' };
  }
  return { method: 'wmean' };
}

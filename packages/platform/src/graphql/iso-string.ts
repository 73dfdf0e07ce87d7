const two = (n: number): string => (n < 10 ? '0' : '') + n;
const three = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

/**
 * `date.toISOString()`, the same string for every date, in about half its time for the dates we
 * write (years 1000 to 9999; others, and an invalid date's RangeError, are toISOString's own).
 * V8 formats toISOString in its C++ runtime: on the product page, where every product's date is
 * written twice (its `DateTime` and its cursor), that was most of the cost of both.
 */
export function isoString(date: Date): string {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  return `${year}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())}.${three(date.getUTCMilliseconds())}Z`;
}

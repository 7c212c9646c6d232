/**
 * Dates shown in the viewer's own time zone and locale. The API speaks UTC (`...Z`); the
 * browser's Intl converts, so nothing here does time-zone arithmetic by hand.
 */
const clockTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const dayMonth = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'short' });
const longDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});
const fullDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight of the local calendar day of `date`. */
const startOfLocalDay = (date: Date): number =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** Whole local calendar days from `date` to `now` (0 = today, 1 = yesterday). */
export const localDaysAgo = (date: Date, now: Date = new Date()): number =>
  // Rounded: a day with a daylight-saving change is 23 or 25 hours long.
  Math.round((startOfLocalDay(now) - startOfLocalDay(date)) / DAY_MS);

/** A key that is equal for two times on the same local calendar day. */
export const localDayKey = (date: Date): string =>
  `${date.getFullYear()}-${date.getMonth() + 1}-${date.getDate()}`;

const capitalize = (text: string): string => text.charAt(0).toLocaleUpperCase() + text.slice(1);

/** "14:05" (or "2:05 PM") for a message. */
export const formatClockTime = (iso: string): string => clockTime.format(new Date(iso));

/** The conversation list: the time today, "Yesterday", a weekday this week, else a date. */
export const formatListTime = (iso: string, now: Date = new Date()): string => {
  const date = new Date(iso);
  const daysAgo = localDaysAgo(date, now);
  if (daysAgo <= 0) return clockTime.format(date);
  if (daysAgo === 1) return capitalize(relativeDay.format(-1, 'day'));
  if (daysAgo < 7) return weekday.format(date);
  if (date.getFullYear() === now.getFullYear()) return dayMonth.format(date);
  return shortDate.format(date);
};

/** A day separator in a conversation: "Today", "Yesterday" or "Wednesday, 31 December 2025". */
export const formatDayLabel = (date: Date, now: Date = new Date()): string => {
  const daysAgo = localDaysAgo(date, now);
  if (daysAgo === 0 || daysAgo === 1) return capitalize(relativeDay.format(-daysAgo, 'day'));
  return longDay.format(date);
};

/** For tooltips: every detail, in the viewer's locale. */
export const formatFullDateTime = (iso: string): string => fullDateTime.format(new Date(iso));

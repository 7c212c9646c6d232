import { formatDayLabel } from '../../lib/format-time';

export const DaySeparator = ({ date, now }: { date: Date; now: Date }) => (
  <li className="day-separator">
    <h3 className="day-separator__label">{formatDayLabel(date, now)}</h3>
  </li>
);

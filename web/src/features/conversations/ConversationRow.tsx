import { NavLink } from 'react-router';
import { Avatar } from '../../components/Avatar';
import type { MessageGroup } from '../../lib/api-types';
import { formatFullDateTime, formatListTime } from '../../lib/format-time';
import { paths } from '../../lib/paths';

interface ConversationRowProps {
  row: MessageGroup;
  unread: boolean;
  now: Date;
}

export const ConversationRow = ({ row, unread, now }: ConversationRowProps) => (
  <li>
    <NavLink
      to={paths.conversation(row.uuid)}
      className={({ isActive }) =>
        `conversation-row${isActive ? ' is-active' : ''}${unread ? ' is-unread' : ''}`
      }
      data-testid="conversation-row"
      data-handle={row.handle}
    >
      <Avatar displayName={row.display_name} handle={row.handle} />
      <span className="conversation-row__body">
        <span className="conversation-row__top">
          <span className="conversation-row__name" dir="auto">
            {row.display_name}
          </span>
          <span className="handle conversation-row__handle">@{row.handle}</span>
          <time
            className="conversation-row__time"
            dateTime={row.created_at}
            title={formatFullDateTime(row.created_at)}
          >
            {formatListTime(row.created_at, now)}
          </time>
        </span>
        <span className="conversation-row__bottom">
          <span className="conversation-row__preview" dir="auto">
            {row.message}
          </span>
          {unread && (
            <span className="unread-dot">
              <span className="visually-hidden">(unread)</span>
            </span>
          )}
        </span>
      </span>
    </NavLink>
  </li>
);

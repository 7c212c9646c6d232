import { NavLink } from 'react-router';
import { Avatar } from '../../components/Avatar';
import type { MessageGroup } from '../../lib/api-types';
import { formatFullDateTime, formatListTime } from '../../lib/format-time';
import { paths } from '../../lib/paths';

interface ConversationRowProps {
  row: MessageGroup;
  now: Date;
}

/** A badge shows at most this much; the accessible name says the exact count. */
const MAX_BADGE = 99;

export const ConversationRow = ({ row, now }: ConversationRowProps) => {
  const unread = row.unread_count;
  return (
    <li>
      <NavLink
        to={paths.conversation(row.uuid)}
        className={({ isActive }) =>
          `conversation-row${isActive ? ' is-active' : ''}${unread > 0 ? ' is-unread' : ''}`
        }
        data-testid="conversation-row"
        data-handle={row.handle}
        data-unread={unread}
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
            {row.message_deleted ? (
              <span className="conversation-row__preview conversation-row__preview--unsent">
                Message unsent
              </span>
            ) : (
              <span className="conversation-row__preview" dir="auto">
                {row.message}
              </span>
            )}
            {unread > 0 && (
              <span className="unread-badge" data-testid="unread-badge">
                <span aria-hidden="true">{unread > MAX_BADGE ? `${MAX_BADGE}+` : unread}</span>
                <span className="visually-hidden">, {unread} unread</span>
              </span>
            )}
          </span>
        </span>
      </NavLink>
    </li>
  );
};

import { Link } from 'react-router';
import { Avatar } from '../../components/Avatar';
import { Icon } from '../../components/Icon';
import { paths } from '../../lib/paths';

export interface Peer {
  handle: string;
  display_name: string;
}

/** The person at the other end; on narrow screens, the way back to the list. */
export const ConversationHeader = ({ peer }: { peer: Peer | null }) => (
  <header className="conversation-header">
    <Link
      to={paths.messages}
      className="icon-button back-button"
      aria-label="Back to conversations"
    >
      <Icon name="back" />
    </Link>
    {peer ? (
      <>
        <Avatar displayName={peer.display_name} handle={peer.handle} />
        <div className="conversation-header__names">
          <h2 className="conversation-header__name" dir="auto">
            {peer.display_name}
          </h2>
          <span className="handle">@{peer.handle}</span>
        </div>
      </>
    ) : (
      <h2 className="conversation-header__name">Conversation</h2>
    )}
  </header>
);

import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../../components/Avatar';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Icon } from '../../components/Icon';
import { paths } from '../../lib/paths';
import { MessageMenu, type MessageMenuItem } from './MessageMenu';
import type { Blocking } from './use-blocking';
import './ConversationHeader.css';

export interface Peer {
  handle: string;
  display_name: string;
}

interface ConversationHeaderProps {
  peer: Peer | null;
  /** Blocking the other person, where they are known: the header's menu offers it. */
  blocking?: Blocking;
}

const CONVERSATION_OPTIONS = 'Conversation options';

/** "Conversation options": Block (after a confirmation) or Unblock the other person. */
const BlockMenu = ({ blocking, handle }: { blocking: Blocking; handle: string }) => {
  const button = useRef<HTMLButtonElement>(null);
  const [confirming, setConfirming] = useState(false);
  const items = (): MessageMenuItem[] =>
    blocking.blocked
      ? [
          {
            label: `Unblock @${handle}`,
            onSelect: () => {
              button.current?.focus();
              void blocking.unblock();
            },
          },
        ]
      : [{ label: `Block @${handle}`, onSelect: () => setConfirming(true) }];
  return (
    <>
      <MessageMenu
        items={items}
        buttonRef={button}
        label={CONVERSATION_OPTIONS}
        className="conversation-header__menu"
      />
      {confirming && (
        <ConfirmDialog
          title={`Block @${handle}?`}
          description={`Neither of you will be able to send messages in this conversation until you unblock @${handle}. It stays readable to both of you, and @${handle} is not notified.`}
          confirmLabel="Block"
          failure={`Could not block @${handle}.`}
          onConfirm={blocking.block}
          onClose={() => setConfirming(false)}
          returnFocus={button}
        />
      )}
    </>
  );
};

/** The person at the other end, and what can be done about them; on narrow screens, the way back to the list. */
export const ConversationHeader = ({ peer, blocking }: ConversationHeaderProps) => (
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
        {blocking && <BlockMenu blocking={blocking} handle={peer.handle} />}
      </>
    ) : (
      <h2 className="conversation-header__name">Conversation</h2>
    )}
  </header>
);

import { useRef, useState } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Icon } from '../../components/Icon';
import { Spinner } from '../../components/Spinner';
import { useLoadNearEdge } from '../../lib/use-load-near-edge';
import { useNow } from '../../lib/use-now';
import { ConversationRow } from './ConversationRow';
import { useConversationList } from './ConversationsProvider';
import { NewMessageForm } from './NewMessageForm';

// The next page starts loading this far from the end of the list.
const NEAR_END_PX = 240;

/** The left pane: my conversations, newest first, loading older ones as you scroll. */
export const ConversationList = () => {
  const list = useConversationList();
  const now = useNow();
  const [composing, setComposing] = useState(false);
  const newMessageButton = useRef<HTMLButtonElement>(null);
  const scroller = useRef<HTMLDivElement>(null);

  const { phase, nextCursor, loadingMore, moreError, loadMore } = list;
  // Pages keep coming while the end is in view, until the view is full.
  const loadMoreIfNearEnd = useLoadNearEdge(
    scroller,
    'bottom',
    NEAR_END_PX,
    phase === 'ready' && nextCursor && !loadingMore && !moreError ? loadMore : null,
  );

  const closeNewMessage = () => {
    setComposing(false);
    // Back to where the keyboard user was, not to the top of the page.
    requestAnimationFrame(() => newMessageButton.current?.focus());
  };

  return (
    <section className="conversation-list" aria-labelledby="conversation-list-title">
      <header className="pane-header">
        <h1 id="conversation-list-title" className="pane-header__title">
          Messages
        </h1>
        <button
          ref={newMessageButton}
          type="button"
          className="button button--primary button--small"
          onClick={() => setComposing((open) => !open)}
          aria-expanded={composing}
        >
          <Icon name="compose" size={16} />
          New message
        </button>
      </header>
      {composing && <NewMessageForm onClose={closeNewMessage} />}
      <div className="conversation-list__scroller" ref={scroller} onScroll={loadMoreIfNearEnd}>
        {phase === 'loading' && <Spinner label="Loading conversations" />}
        {phase === 'failed' && (
          <ErrorNotice
            action={
              <button type="button" className="button" onClick={list.reload}>
                Try again
              </button>
            }
          >
            Could not load your conversations. {list.error}
          </ErrorNotice>
        )}
        {phase === 'ready' && list.rows.length === 0 && (
          <p className="empty-state">
            No conversations yet. Start one with <strong>New message</strong>.
          </p>
        )}
        {list.rows.length > 0 && (
          <nav aria-label="Conversations">
            <ul className="conversation-list__rows">
              {list.rows.map((row) => (
                <ConversationRow key={row.uuid} row={row} now={now} />
              ))}
            </ul>
          </nav>
        )}
        {moreError && (
          <ErrorNotice
            action={
              <button type="button" className="button" onClick={loadMore}>
                Try again
              </button>
            }
          >
            Could not load more conversations. {moreError}
          </ErrorNotice>
        )}
        {loadingMore && <Spinner label="Loading more conversations" />}
      </div>
    </section>
  );
};

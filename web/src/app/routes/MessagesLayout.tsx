import { Outlet, useMatch } from 'react-router';
import { ConversationList } from '../../features/conversations/ConversationList';
import { ConversationsProvider } from '../../features/conversations/ConversationsProvider';

/**
 * The list beside the open conversation. On a narrow screen only one of them shows
 * (`data-view`, see styles.css), with a back button in the conversation.
 */
export const MessagesLayout = () => {
  const open = useMatch('/messages/:message_group_uuid');
  const starting = useMatch('/messages/new/:handle');
  const openGroupUuid = starting ? null : (open?.params.message_group_uuid ?? null);
  const showsConversation = openGroupUuid !== null || starting !== null;
  return (
    <ConversationsProvider>
      <main className="messages-layout" data-view={showsConversation ? 'conversation' : 'list'}>
        <div className="messages-layout__list">
          <ConversationList />
        </div>
        <div className="messages-layout__detail">
          {showsConversation && (
            // A narrow screen hides the list, and its h1, while a conversation shows: this one
            // stands in for it there (for screen readers; not shown on a wide screen).
            <h1 className="messages-layout__screen-title">
              {starting ? 'New message' : 'Conversation'}
            </h1>
          )}
          <Outlet />
        </div>
      </main>
    </ConversationsProvider>
  );
};

import { useConversationList } from '../features/conversations/ConversationsProvider';
import { useDocumentTitle } from '../lib/use-document-title';

/** The tab title of a messages screen, with the unread count first, as mail and chat apps do. */
export const useMessagesTitle = (title: string): void => {
  const unread = useConversationList().unread.size;
  useDocumentTitle(unread > 0 ? `(${unread}) ${title}` : title);
};

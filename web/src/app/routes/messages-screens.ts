// The signed-in messaging screens, one chunk fetched after sign-in (see router.tsx): the sign-in
// page, which every visitor sees first, does not wait for them.
export { ConversationRoute } from './ConversationRoute';
export { MessagesHome } from './MessagesHome';
export { MessagesLayout } from './MessagesLayout';
export { NewConversationRoute } from './NewConversationRoute';

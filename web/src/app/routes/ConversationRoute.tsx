import { useId, useRef } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Composer } from '../../features/composer/Composer';
import {
  useConversationList,
  useConversationRow,
} from '../../features/conversations/ConversationsProvider';
import { BlockBanner } from '../../features/messages/BlockBanner';
import { ConversationHeader, type Peer } from '../../features/messages/ConversationHeader';
import { MessageTimeline } from '../../features/messages/MessageTimeline';
import { peerFromMessages } from '../../features/messages/peer';
import { TypingIndicator } from '../../features/messages/TypingIndicator';
import { useBlocking } from '../../features/messages/use-blocking';
import { useConversation } from '../../features/messages/use-conversation';
import type { Message } from '../../lib/api-types';
import { useSendTyping } from '../../lib/live-events';
import { paths } from '../../lib/paths';
import { useSignedInUser } from '../../lib/session';
import { useMessagesTitle } from '../use-messages-title';

/**
 * Navigation state of a conversation just started from /messages/new/:handle: shown at once,
 * before its first page and its list row arrive.
 */
export interface StartedConversationState {
  sent: Message[];
  peer: Peer;
}

const startedFrom = (state: unknown): Partial<StartedConversationState> => {
  const started = state as Partial<StartedConversationState> | null;
  return {
    sent: Array.isArray(started?.sent) ? started.sent : undefined,
    peer: typeof started?.peer?.handle === 'string' ? started.peer : undefined,
  };
};

const ConversationScreen = ({ messageGroupUuid }: { messageGroupUuid: string }) => {
  const me = useSignedInUser();
  const sendTyping = useSendTyping();
  const row = useConversationRow(messageGroupUuid);
  const started = startedFrom(useLocation().state);
  const conversation = useConversation(
    { message_group_uuid: messageGroupUuid },
    { known: started.sent },
  );
  const { markRead } = useConversationList();
  const peer = row ?? started.peer ?? peerFromMessages(conversation.messages, me);
  const blocking = useBlocking(peer?.handle ?? null, conversation);
  const refusalId = useId();
  const composerInput = useRef<HTMLTextAreaElement>(null);
  useMessagesTitle(peer?.display_name ?? 'Conversation');

  if (conversation.phase === 'not_found') {
    return (
      <div className="conversation">
        <ConversationHeader peer={null} />
        <ErrorNotice action={<Link to={paths.messages}>Back to your conversations</Link>}>
          This conversation does not exist, or you are not part of it.
        </ErrorNotice>
      </div>
    );
  }
  return (
    <div className="conversation">
      <ConversationHeader peer={peer} blocking={peer ? blocking : undefined} />
      <MessageTimeline
        conversation={conversation}
        peer={peer}
        onNewestSeen={(message) => markRead(messageGroupUuid, message)}
      />
      <TypingIndicator messageGroupUuid={messageGroupUuid} name={peer?.display_name} />
      <BlockBanner
        id={refusalId}
        blocking={blocking}
        onUnblocked={() => composerInput.current?.focus()}
      />
      <Composer
        label={peer ? `Message ${peer.display_name}` : 'Write a message'}
        draftKey={messageGroupUuid}
        onSend={conversation.send}
        onTyping={() => sendTyping(messageGroupUuid)}
        unavailableReasonId={blocking.refusal ? refusalId : undefined}
        inputRef={composerInput}
      />
    </div>
  );
};

/** /messages/:message_group_uuid. Keyed, so another conversation starts from a clean slate. */
export const ConversationRoute = () => {
  const { message_group_uuid = '' } = useParams();
  return <ConversationScreen key={message_group_uuid} messageGroupUuid={message_group_uuid} />;
};

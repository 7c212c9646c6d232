import { useEffect, useId, useRef, useState } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Composer } from '../../features/composer/Composer';
import { useConversationWith } from '../../features/conversations/ConversationsProvider';
import { lookupUser, normalizeHandleInput } from '../../features/conversations/conversations-api';
import { BlockBanner } from '../../features/messages/BlockBanner';
import { ConversationHeader } from '../../features/messages/ConversationHeader';
import { MessageTimeline } from '../../features/messages/MessageTimeline';
import { useBlocking } from '../../features/messages/use-blocking';
import { useConversation } from '../../features/messages/use-conversation';
import { ApiError, describeError, isAbortError } from '../../lib/api-error';
import type { UserLookup } from '../../lib/api-types';
import { paths } from '../../lib/paths';
import { useApi, useSignedInUser } from '../../lib/session';
import { useMessagesTitle } from '../use-messages-title';
import type { StartedConversationState } from './ConversationRoute';

type Recipient =
  | { state: 'loading' }
  | { state: 'found'; user: UserLookup }
  | { state: 'problem'; message: string };

const useRecipient = (handle: string): Recipient => {
  const api = useApi();
  const [recipient, setRecipient] = useState<Recipient>({ state: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    lookupUser(api, handle, controller.signal).then(
      (user) => setRecipient({ state: 'found', user }),
      (error: unknown) => {
        if (isAbortError(error)) return;
        const missing =
          error instanceof ApiError &&
          (error.code === 'user_not_found' || error.code === 'invalid_handle');
        setRecipient({
          state: 'problem',
          message: missing ? `No user @${handle}` : describeError(error),
        });
      },
    );
    return () => controller.abort();
  }, [api, handle]);
  return recipient;
};

const NewConversationScreen = ({ handle }: { handle: string }) => {
  const me = useSignedInUser();
  const navigate = useNavigate();
  const existing = useConversationWith(handle);
  const recipient = useRecipient(handle);
  const peer = recipient.state === 'found' ? recipient.user : null;
  const conversation = useConversation(
    { handle },
    {
      // The first send creates the conversation (or finds it): continue at its own address.
      onSent: (sent) => {
        const state: StartedConversationState = {
          sent: [sent.message],
          peer: peer ?? { handle, display_name: `@${handle}` },
        };
        navigate(paths.conversation(sent.message_group_uuid), { replace: true, state });
      },
    },
  );
  const blocking = useBlocking(peer?.handle ?? null, conversation);
  const refusalId = useId();
  const composerInput = useRef<HTMLTextAreaElement>(null);
  useMessagesTitle(peer ? `New message to ${peer.display_name}` : 'New message');

  // One conversation per pair: if it is already in the list, or the lookup names it (one
  // further down the list than is loaded), go there instead.
  const existingUuid = existing?.uuid ?? peer?.message_group_uuid;
  if (existingUuid && conversation.pending.length === 0) {
    return <Navigate to={paths.conversation(existingUuid)} replace />;
  }
  const problem =
    handle === me.handle
      ? 'You cannot send messages to yourself.'
      : recipient.state === 'problem'
        ? recipient.message
        : null;
  if (problem) {
    return (
      <div className="conversation">
        <ConversationHeader peer={null} />
        <ErrorNotice action={<Link to={paths.messages}>Back to your conversations</Link>}>
          {problem}
        </ErrorNotice>
      </div>
    );
  }
  return (
    <div className="conversation" data-testid="new-conversation">
      <ConversationHeader
        peer={peer ?? { handle, display_name: `@${handle}` }}
        blocking={peer ? blocking : undefined}
      />
      <MessageTimeline conversation={conversation} peer={peer} />
      <BlockBanner
        id={refusalId}
        blocking={blocking}
        onUnblocked={() => composerInput.current?.focus()}
      />
      <Composer
        label={peer ? `Message ${peer.display_name}` : `Message @${handle}`}
        draftKey={`new:${handle}`}
        onSend={conversation.send}
        disabled={!peer}
        unavailableReasonId={blocking.refusal ? refusalId : undefined}
        inputRef={composerInput}
      />
    </div>
  );
};

/** /messages/new/:handle: a conversation that does not exist until the first message. */
export const NewConversationRoute = () => {
  const handle = normalizeHandleInput(useParams().handle ?? '');
  return <NewConversationScreen key={handle} handle={handle} />;
};

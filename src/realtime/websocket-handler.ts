import type {
  APIGatewayEventWebsocketRequestContextV2,
  APIGatewayProxyWebsocketEventV2WithRequestContext,
} from 'aws-lambda';
import { InvalidInputError, MessageGroupNotFoundError } from '../messaging/errors.js';
import type { Messaging } from '../messaging/messaging.js';
import type { RealtimeAuthorizerContext } from './authorizer.js';
import type { ConnectionRegistry } from './connection-registry.js';
import type { ClientFrame, RealtimeErrorCode } from './frames.js';
import type { RealtimePusher } from './pusher.js';

/** API Gateway's WebSocket event, with what our authorizer put in at `$connect`. */
export type RealtimeEvent = APIGatewayProxyWebsocketEventV2WithRequestContext<
  APIGatewayEventWebsocketRequestContextV2 & {
    authorizer?: Partial<RealtimeAuthorizerContext> & { principalId?: string };
  }
>;

export interface RealtimeResult {
  statusCode: number;
}

export type RealtimeHandler = (event: RealtimeEvent) => Promise<RealtimeResult>;

/** The routes the API declares; any other frame goes to `$default`. */
export const ACTION_ROUTES = ['typing', 'ping'] as const;

export interface RealtimeHandlerOptions {
  registry: ConnectionRegistry;
  pusher: RealtimePusher;
  messaging: Messaging;
}

/**
 * One Lambda handler for every route of the WebSocket API: `$connect` records the
 * connection, `$disconnect` forgets it, `typing` tells the other participant, `ping`
 * answers `pong`, `$default` answers an `error` frame. Replies go back through the
 * Management API, as on AWS, so the local gateway and API Gateway behave the same.
 */
export const createRealtimeHandler = (options: RealtimeHandlerOptions): RealtimeHandler => {
  const { registry, pusher, messaging } = options;
  const fail = async (connectionId: string, code: RealtimeErrorCode, message: string) => {
    await pusher.reply(connectionId, { type: 'error', data: { code, message } });
    return { statusCode: 200 };
  };

  return async (event) => {
    const { routeKey, connectionId, authorizer } = event.requestContext;
    const userUuid = authorizer?.user_uuid;
    // Only $connect's authorizer lets a connection in; an event without its context is not ours.
    if (!userUuid) return { statusCode: 403 };
    switch (routeKey) {
      case '$connect':
        await registry.register(userUuid, connectionId);
        return { statusCode: 200 };
      case '$disconnect':
        await registry.remove(userUuid, connectionId);
        return { statusCode: 200 };
      case 'ping':
        await pusher.reply(connectionId, { type: 'pong', data: {} });
        return { statusCode: 200 };
      case 'typing': {
        const frame = parseFrame(event.body);
        if (frame?.action !== 'typing' || typeof frame.message_group_uuid !== 'string')
          return fail(connectionId, 'invalid_frame', 'typing needs a message_group_uuid.');
        const groupUuid = frame.message_group_uuid;
        const others = await otherParticipants(messaging, groupUuid, userUuid);
        // The same answer whether the conversation does not exist or is not yours.
        if (!others)
          return fail(connectionId, 'not_a_participant', 'No such conversation of yours.');
        // While either blocks the other, typing is not theirs to see; nor is the block.
        if (await messaging.blocked(userUuid, groupUuid)) return { statusCode: 200 };
        await pusher.push(
          others.map((other) => ({
            userUuid: other,
            frame: {
              type: 'typing',
              data: { message_group_uuid: groupUuid, user_uuid: userUuid },
            },
          })),
        );
        return { statusCode: 200 };
      }
      default:
        return parseFrame(event.body)
          ? fail(connectionId, 'unknown_action', `Actions are ${ACTION_ROUTES.join(', ')}.`)
          : fail(connectionId, 'invalid_frame', 'Frames are JSON objects with an action.');
    }
  };
};

const parseFrame = (body: string | undefined): Partial<ClientFrame> | undefined => {
  try {
    const value: unknown = JSON.parse(body ?? '');
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Partial<ClientFrame>)
      : undefined;
  } catch {
    return undefined;
  }
};

const otherParticipants = async (
  messaging: Messaging,
  groupUuid: string,
  userUuid: string,
): Promise<string[] | undefined> => {
  try {
    const participants = await messaging.participants(groupUuid);
    return participants.includes(userUuid) ? participants.filter((p) => p !== userUuid) : undefined;
  } catch (error) {
    if (error instanceof MessageGroupNotFoundError || error instanceof InvalidInputError)
      return undefined;
    throw error;
  }
};

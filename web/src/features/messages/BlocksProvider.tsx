import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { isAbortError } from '../../lib/api-error';
import { useLiveReconnect } from '../../lib/live-events';
import { useSession } from '../../lib/session';
import { blockUser, listBlocks, unblockUser } from './blocks-api';

interface Blocks {
  /** Whether I block the user with this handle (false until my blocks are loaded). */
  isBlocked(handle: string): boolean;
  /** Blocks them; rejects with the API's error. */
  block(handle: string): Promise<void>;
  /** Lifts my block; rejects with the API's error. */
  unblock(handle: string): Promise<void>;
}

const BlocksContext = createContext<Blocks | null>(null);

const key = (handle: string): string => handle.toLowerCase();

const sameHandles = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean =>
  a.size === b.size && [...a].every((handle) => b.has(handle));

/**
 * The users I block (`GET /api/blocks`), loaded once per signed-in person and kept by my own
 * blocks and unblocks (loaded again only after a failed load, when the push connection comes
 * back). A block or unblock made while the list loads is applied over what it brings.
 */
export const BlocksProvider = ({ children }: { children: ReactNode }) => {
  const { session, api } = useSession();
  const userUuid = session?.user.uuid ?? null;
  // Whoever is signed in at the start owns the empty list at once: no render just to say so.
  const [blocked, setBlocked] = useState<{ owner: string | null; handles: ReadonlySet<string> }>(
    () => ({ owner: userUuid, handles: new Set() }),
  );
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  /** My blocks (true) and unblocks (false) since the current load started. */
  const changedWhileLoading = useRef(new Map<string, boolean>());

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` asks for another load
  useEffect(() => {
    // Another person signed in: nothing of the last one's. The same (a load again): as it is.
    setBlocked((current) =>
      current.owner === userUuid ? current : { owner: userUuid, handles: new Set() },
    );
    setFailed(false);
    if (!userUuid) return;
    const controller = new AbortController();
    changedWhileLoading.current = new Map();
    listBlocks(api, controller.signal).then(
      (users) => {
        const handles = new Set(users.map((user) => key(user.handle)));
        for (const [handle, isBlocked] of changedWhileLoading.current) {
          if (isBlocked) handles.add(handle);
          else handles.delete(handle);
        }
        // The same list as shown (no one blocked, most often): no render of every screen
        // that asks whether someone is blocked.
        setBlocked((current) =>
          current.owner === userUuid && sameHandles(current.handles, handles)
            ? current
            : { owner: userUuid, handles },
        );
      },
      (error: unknown) => {
        if (!isAbortError(error)) setFailed(true);
      },
    );
    return () => controller.abort();
  }, [api, userUuid, attempt]);

  useLiveReconnect(() => {
    if (failed) setAttempt((count) => count + 1);
  });

  const change = useCallback(
    async (handle: string, toBlocked: boolean) => {
      await (toBlocked ? blockUser(api, handle) : unblockUser(api, handle));
      changedWhileLoading.current.set(key(handle), toBlocked);
      setBlocked((current) => {
        const handles = new Set(current.handles);
        if (toBlocked) handles.add(key(handle));
        else handles.delete(key(handle));
        return { ...current, handles };
      });
    },
    [api],
  );

  const value = useMemo<Blocks>(
    () => ({
      isBlocked: (handle) => blocked.owner === userUuid && blocked.handles.has(key(handle)),
      block: (handle) => change(handle, true),
      unblock: (handle) => change(handle, false),
    }),
    [blocked, userUuid, change],
  );
  return <BlocksContext.Provider value={value}>{children}</BlocksContext.Provider>;
};

export const useBlocks = (): Blocks => {
  const value = useContext(BlocksContext);
  if (!value) throw new Error('useBlocks must be used inside <BlocksProvider>');
  return value;
};

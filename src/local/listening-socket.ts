import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

const LISTEN = '0A';

/**
 * Whether process `pid` holds the listening TCP socket of `port`, read from Linux's /proc;
 * undefined where there is no /proc to ask (macOS). A free port picked by one process can be
 * taken by another before java binds it: this tells our DynamoDB Local from someone else's.
 */
export const listensOn = (pid: number, port: number): boolean | undefined => {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) inodes.add(inode);
      } catch {
        // closed while we looked
      }
    }
  } catch {
    return false; // the process is gone
  }
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (local?.endsWith(hexPort) && state === LISTEN && inode && inodes.has(inode)) return true;
    }
  }
  return false;
};

import type { TablePort } from '../messaging/table-port.js';
import {
  connectionItem,
  deleteConnectionRequest,
  listConnectionsQuery,
  putConnectionRequest,
} from './connection-requests.js';

/** The table's record of who is connected where: written at `$connect`, read for every push. */
export class ConnectionRegistry {
  constructor(
    private readonly table: TablePort,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  register(userUuid: string, connectionId: string): Promise<void> {
    const item = connectionItem(userUuid, connectionId, this.clock());
    return this.table.write(putConnectionRequest(this.table.tableName, item));
  }

  remove(userUuid: string, connectionId: string): Promise<void> {
    return this.table.write(deleteConnectionRequest(this.table.tableName, userUuid, connectionId));
  }

  async connectionsOf(userUuid: string): Promise<string[]> {
    const { items } = await this.table.query<{ connection_id: string }>(
      listConnectionsQuery(this.table.tableName, userUuid),
    );
    return items.map((item) => item.connection_id);
  }
}

import { describe, expect, it } from 'vitest';
import { withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const plain = withApi(t);
const live = withApi(t, { realtimeUrl: (host) => `ws://${host}/realtime` });

describe('GET /api/config', () => {
  it('says there is no realtime WebSocket where there is none (the client then polls)', async () => {
    const response = await plain.request('/api/config');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ realtime_url: null });
  });

  it('names the realtime WebSocket, on the host the client reached, without signing in', async () => {
    const response = await live.request('/api/config');
    const { host } = new URL(live.url('/'));
    expect(await response.json()).toEqual({ realtime_url: `ws://${host}/realtime` });
  });
});

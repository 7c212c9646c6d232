import { describe, expect, it } from 'vitest';
import { withApi } from '../support/api.js';
import { withTestTable } from '../support/test-table.js';

const t = withTestTable();
const plain = withApi(t);
const live = withApi(t, { realtimeUrl: (host) => `ws://${host}/realtime` });
const shortWindow = withApi(t, { messaging: t.messaging({ editWindowSeconds: 60 }) });

describe('GET /api/config', () => {
  it('says there is no realtime WebSocket where there is none (the client then polls)', async () => {
    const response = await plain.request('/api/config');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ realtime_url: null, edit_window_s: 900 });
  });

  it("tells the web app the server's edit window (EDIT_WINDOW_S), not one of its own", async () => {
    const response = await shortWindow.request('/api/config');
    expect(await response.json()).toMatchObject({ edit_window_s: 60 });
  });

  it('names the realtime WebSocket, on the host the client reached, without signing in', async () => {
    const response = await live.request('/api/config');
    const { host } = new URL(live.url('/'));
    expect(await response.json()).toEqual({
      realtime_url: `ws://${host}/realtime`,
      edit_window_s: 900,
    });
  });
});

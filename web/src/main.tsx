import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { bootRequestsSettled } from './app/boot';
import './styles.css';

/**
 * How long the first render waits for what the boot script asked for. The answers usually come
 * well within it; a slower server gets the loading state after it, as without the wait.
 */
const FIRST_RENDER_WAIT_MS = 1000;

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

// The first render is the page's longest piece of script (the shell, the list, the screen):
// as a transition React renders it in slices of a few milliseconds, between which the browser
// can paint and answer a tap, instead of one task that a slow phone blocks on.
const render = () =>
  startTransition(() => {
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });

// Opened at a conversation (boot.ts started its chunk and first pages), the first render waits
// for them: the first paint is then the conversation, rather than a loading state that a second
// render and layout replace moments later (on a phone, a long task while its user starts to read).
if (bootRequestsSettled) {
  const waited = new Promise((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS));
  void Promise.race([bootRequestsSettled, waited]).then(render);
} else {
  render();
}

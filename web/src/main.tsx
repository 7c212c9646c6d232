import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);
// The first render is the page's longest piece of script (the shell, the list, the screen):
// as a transition React renders it in slices of a few milliseconds, between which the browser
// can paint and answer a tap, instead of one task that a slow phone blocks on.
startTransition(() => {
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});

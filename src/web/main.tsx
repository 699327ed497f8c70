import './ui/cspNonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { prefetchProfile } from './modules/subjects/prefetch';
import './ui/styles.css';

prefetchProfile(window.location.pathname, window.location.search);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { GRAPHQL_PATH } from './graphql/create-apollo-client';
import { MemberApolloProvider } from './graphql/member-apollo-provider';
import { refreshSessionOver } from './session/refresh-session';
import { SessionProvider } from './session/session-context';
import { SessionStore } from './session/session-store';
import './styles.css';

const sessions = new SessionStore(window.sessionStorage, refreshSessionOver(GRAPHQL_PATH));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider store={sessions}>
      <MemberApolloProvider>
        <App />
      </MemberApolloProvider>
    </SessionProvider>
  </StrictMode>,
);

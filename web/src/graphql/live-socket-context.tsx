import { createContext, useContext, type ReactNode } from 'react';
import type { LiveSocket } from './live-socket';

const LiveSocketContext = createContext<LiveSocket | null>(null);

export function LiveSocketProvider({ socket, children }: { socket: LiveSocket; children: ReactNode }) {
  return <LiveSocketContext.Provider value={socket}>{children}</LiveSocketContext.Provider>;
}

export function useLiveSocket(): LiveSocket {
  const socket = useContext(LiveSocketContext);
  if (!socket) throw new Error('useLiveSocket outside <LiveSocketProvider>');
  return socket;
}

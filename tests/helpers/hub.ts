/** A WebSub hub on loopback that records every publish ping it receives. */
import { createServer, type Server } from 'node:http';

export interface TestHub {
  url: string;
  /** `hub.url` of every ping, in arrival order. */
  pings: string[];
  /** Status to answer with (202 by default). */
  status: number;
  close(): Promise<void>;
}

export async function startHub(): Promise<TestHub> {
  const hub: TestHub = { url: '', pings: [], status: 202, close: async () => {} };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      if (request.method === 'POST' && form.get('hub.mode') === 'publish') hub.pings.push(form.get('hub.url') ?? '');
      response.writeHead(hub.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  hub.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hub`;
  hub.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return hub;
}

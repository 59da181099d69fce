import { boot } from './boot.ts';
import type { Config } from './config.ts';

/**
 * `yimen serve`: start, print where to go, and on SIGTERM or SIGINT stop taking requests,
 * let the ones in flight finish, and close the database cleanly (PGlite flushes its files).
 */
export async function serve(config: Config): Promise<void> {
  const started = Date.now();
  const { app, demoAccounts, ctx } = await boot(config);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const lines = [
    '',
    `  yimen 一门 is running at ${url}  (${Date.now() - started} ms)`,
    `  database: ${ctx.database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}`,
    `  API docs: ${url}/api/docs   OpenAPI: ${url}/api/openapi.json`,
  ];
  if (config.demo) {
    lines.push('  demo mode: 演示模式 (YIMEN_DEMO=0 to turn off)');
    if (demoAccounts.length > 0) {
      lines.push('  demo accounts (password yimen-demo):');
      for (const a of demoAccounts)
        lines.push(`    ${a.username.padEnd(22)} ${a.role.padEnd(18)} ${a.where}`);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  // Printed last: whoever waits for this line may signal us straight away.
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

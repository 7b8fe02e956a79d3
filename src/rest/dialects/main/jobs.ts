import { route } from "./route.js";

const tag = "Jobs";

const JOB_FIELDS = "id queue name payload status attempts maxAttempts runAt lastError completedAt createdAt updatedAt";

export const jobRoutes = [
  route({
    method: "GET",
    path: "/admin/jobs/failed",
    summary: "List failed background jobs",
    tag,
    permission: "jobs:admin",
    description:
      "Jobs that used up their attempts (exponential backoff with jitter between them), most recently failed first.",
    paginated: true,
    operation: `query ($first: Int, $after: String) { failedJobs(first: $first, after: $after) { totalCount edges { node { ${JOB_FIELDS} } } } }`,
    result: ["failedJobs"],
  }),
  route({
    method: "POST",
    path: "/admin/jobs/:id/retry",
    summary: "Re-enqueue a failed job",
    tag,
    permission: "jobs:admin",
    description: "Returns the updated job record (pending, due now). 409 when the job is not failed.",
    operation: `mutation ($id: ID!) { retryJob(id: $id) { ...ErrorFields ... on RetryJobPayload { job { ${JOB_FIELDS} } } } }`,
    variables: ({ params }) => ({ id: params.id }),
    result: ["retryJob", "job"],
  }),
  route({
    method: "GET",
    path: "/jobs/run",
    summary: "Process pending jobs (cron target)",
    tag,
    permission: "*:*",
    description:
      "Runs up to `limit` due jobs of `queue` now. Workers claim jobs with FOR UPDATE SKIP LOCKED, so this may run " +
      "beside the server's own worker loop (JOBS_POLL_MS) without running a job twice.",
    query: {
      queue: { type: "string", description: 'Queue name (default "default").' },
      limit: { type: "integer", description: "Jobs to run at most (default 10, max 100)." },
    },
    operation: `mutation ($queue: String, $limit: Int) {
      runJobs(queue: $queue, limit: $limit) { ...ErrorFields ... on RunJobsPayload { summary { claimed completed retried failed } } }
    }`,
    variables: ({ query }) => ({
      queue: query.queue ?? "default",
      limit: query.limit === undefined ? 10 : Number.isInteger(Number(query.limit)) ? Number(query.limit) : -1,
    }),
    result: ["runJobs", "summary"],
  }),
];

/** Node timings read from n8n's own log, for runs whose run data the bench cannot read (webhook, queue mode). */

/** What n8n logs need for nodeTimesFromLog: debug level, JSON lines with timestamps. */
export const NODE_TIMES_LOG_ENV = { N8N_LOG_LEVEL: 'debug', N8N_LOG_FORMAT: 'json' };

export interface NodeRun {
	workflowId: string;
	startTime: number;
	executionTime?: number;
}

/**
 * The runs of a node, from n8n's JSON debug log (N8N_LOG_LEVEL=debug, N8N_LOG_FORMAT=json): "Start executing
 * node" and "Running node … finished successfully", with the workflow's ID but not the execution's. Two runs of
 * one workflow at once are paired first in, first out: right for the first start and the last end, each run's own
 * time may be the other's.
 */
export function nodeRunsFromLog(output: string, node: string): NodeRun[] {
	const runs: NodeRun[] = [];
	for (const line of output.split('\n')) {
		if (!line.includes(node)) continue;
		let entry: {
			message?: string;
			timestamp?: string;
			metadata?: { workflowId?: string; timestamp?: string };
		};
		try {
			entry = JSON.parse(line) as typeof entry;
		} catch {
			continue;
		}
		const at = Date.parse(entry.timestamp ?? entry.metadata?.timestamp ?? '');
		const workflowId = entry.metadata?.workflowId;
		if (!workflowId || Number.isNaN(at)) continue;
		if (entry.message === `Start executing node "${node}"`)
			runs.push({ workflowId, startTime: at });
		else if (entry.message === `Running node "${node}" finished successfully`) {
			const run = runs.find((r) => r.workflowId === workflowId && r.executionTime === undefined);
			if (run) run.executionTime = at - run.startTime;
		}
	}
	return runs;
}

/** First start to last end of finished runs, in ms (undefined when a run has not finished). */
export function spanOf(runs: NodeRun[]): { start: number; end: number } | undefined {
	if (!runs.length || runs.some((r) => r.executionTime === undefined)) return undefined;
	return {
		start: Math.min(...runs.map((r) => r.startTime)),
		end: Math.max(...runs.map((r) => r.startTime + r.executionTime!)),
	};
}

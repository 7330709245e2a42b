/**
 * Standalone emulator: `npm run emulator`.
 * Env: FEISHU_EMULATOR_PORT (default 4010), FEISHU_EMULATOR_TOKEN_TTL, FEISHU_EMULATOR_RATE,
 *      FEISHU_EMULATOR_LATENCY_MS, FEISHU_EMULATOR_JITTER, FEISHU_EMULATOR_ARRIVAL_MS, FEISHU_EMULATOR_ARRIVAL_JITTER, FEISHU_EMULATOR_APP_ID, FEISHU_EMULATOR_APP_SECRET.
 */
import { DEFAULT_OPTIONS, startEmulator, type EmulatorOptions } from './index';

function numberFromEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const value = Number(raw);
	if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got '${raw}'`);
	return value;
}

async function main(): Promise<void> {
	const defaultApp = DEFAULT_OPTIONS.apps[0];
	const app = {
		appId: process.env.FEISHU_EMULATOR_APP_ID || defaultApp.appId,
		appSecret: process.env.FEISHU_EMULATOR_APP_SECRET || defaultApp.appSecret,
	};
	const options: EmulatorOptions = {
		port: numberFromEnv('FEISHU_EMULATOR_PORT') ?? 4010,
		apps: [app],
		tokenTtlSeconds: numberFromEnv('FEISHU_EMULATOR_TOKEN_TTL'),
		rateLimitPerSecond: numberFromEnv('FEISHU_EMULATOR_RATE'),
		latencyMs: numberFromEnv('FEISHU_EMULATOR_LATENCY_MS'),
		latencyJitter: numberFromEnv('FEISHU_EMULATOR_JITTER'),
		arrivalDelayMs: numberFromEnv('FEISHU_EMULATOR_ARRIVAL_MS'),
		arrivalJitter: numberFromEnv('FEISHU_EMULATOR_ARRIVAL_JITTER'),
	};
	const emulator = await startEmulator(options);
	console.log(`Feishu emulator listening on ${emulator.url} (app id ${app.appId})`);

	const stop = () => {
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((e: Error) => {
	console.error(`Feishu emulator failed to start: ${e.message}`);
	process.exit(1);
});

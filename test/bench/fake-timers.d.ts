/** The part of @sinonjs/fake-timers (jest's fake clock) that test/bench/pacing-sim.ts uses; the package has no types. */
declare module '@sinonjs/fake-timers' {
	interface InstalledClock {
		tickAsync(ms: number): Promise<number>;
		uninstall(): void;
	}
	function install(options: { now?: number; toFake?: string[] }): InstalledClock;
	const FakeTimers: { install: typeof install };
	export default FakeTimers;
}

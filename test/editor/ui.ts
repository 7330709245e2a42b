/**
 * The n8n editor as a user drives it, through the data-test-id attributes n8n's own UI tests use
 * (checked on n8n 1.123.81 and 2.41.1).
 */
import type { ElementHandle, Page } from 'puppeteer-core';

import { DEFAULT_OWNER, type OwnerAccount } from '../e2e/n8n';

// Callbacks of page.evaluate / $eval run in the browser; the project compiles without the DOM lib (adding
// it would change timer types for everyone), so the few browser globals used there are declared loosely.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const location: any;
type HTMLElement = any;
type HTMLInputElement = any;

export const sel = {
	canvasNode: (name: string) => `[data-test-id="canvas-node"][data-node-name="${name}"]`,
	ndv: '[data-test-id="ndv"]',
	parameters: '[data-test-id="ndv"] [data-test-id="node-parameters"]',
	input: (name: string) =>
		`[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-input-${name}"]`,
	locator: (name: string) => `[data-test-id="ndv"] [data-test-id="resource-locator-${name}"]`,
	/** "Back to canvas" (1.x) or the panel's close button (2.x) */
	closePanel: '[data-test-id="back-to-canvas"], [data-test-id="ndv-close-button"]',
	executeStep: '[data-test-id="ndv"] [data-test-id="node-execute-button"]',
	output: '[data-test-id="ndv"] [data-test-id="output-panel"]',
};

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sign in through the sign-in form, as a person would. */
export async function signIn(
	page: Page,
	baseUrl: string,
	owner: OwnerAccount = DEFAULT_OWNER,
): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'networkidle2' });
	await page.waitForSelector('input[name="emailOrLdapLoginId"]', { visible: true });
	await page.type('input[name="emailOrLdapLoginId"]', owner.email);
	await page.type('input[name="password"]', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForFunction(() => !location.pathname.startsWith('/signin'), { timeout: 30_000 });
}

export async function openWorkflow(page: Page, baseUrl: string, id: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'networkidle2' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { visible: true });
}

/** Double-click a node on the canvas and wait for its panel. */
export async function openNode(page: Page, name: string): Promise<void> {
	const node = await page.waitForSelector(sel.canvasNode(name), { visible: true });
	// a double-click during the closing animation of the previous panel is lost: try again
	for (let attempt = 1; ; attempt++) {
		await node!.click({ count: 2 });
		try {
			await page.waitForSelector(sel.parameters, { visible: true, timeout: 5_000 });
			return;
		} catch (e) {
			if (attempt === 3)
				throw new Error(`the panel of "${name}" did not open after ${attempt} double-clicks`);
		}
	}
}

export async function closeNode(page: Page): Promise<void> {
	await page.click(sel.closePanel);
	await page.waitForSelector(sel.parameters, { hidden: true });
	await pause(400); // let the panel's closing animation end before the canvas is used
}

/** Texts of the visible options of the open dropdown (their headline). */
export async function visibleOptions(page: Page): Promise<string[]> {
	return page.$$eval('[data-test-id="parameter-input-item"]', (items) =>
		items
			.filter((e) => (e as HTMLElement).offsetParent !== null)
			.map((e) => (e.querySelector('.option-headline')?.textContent ?? e.textContent ?? '').trim()),
	);
}

/** Click an options parameter and wait until its dropdown shows options; returns their labels. */
export async function openOptions(page: Page, parameter: string): Promise<string[]> {
	await page.waitForSelector(sel.input(parameter), { visible: true });
	await page.click(sel.input(parameter));
	await page.waitForFunction(
		() =>
			[...document.querySelectorAll('[data-test-id="parameter-input-item"]')].some(
				(e) => (e as HTMLElement).offsetParent !== null,
			),
		{ timeout: 10_000 },
	);
	return visibleOptions(page);
}

/** Open an options parameter's dropdown and pick the option shown as `label` (or one of `alternatives`). */
export async function chooseOption(page: Page, parameter: string, labels: string[]): Promise<void> {
	const wanted = labels.filter(Boolean);
	await page.waitForSelector(sel.input(parameter), { visible: true });
	const current = await page
		.$eval(`${sel.input(parameter)} input`, (e) => (e as HTMLInputElement).value)
		.catch(() => '');
	if (wanted.includes(current.trim())) return;
	await page.click(sel.input(parameter));
	await page.waitForFunction(
		() =>
			[...document.querySelectorAll('[data-test-id="parameter-input-item"]')].some(
				(e) => (e as HTMLElement).offsetParent !== null,
			),
		{ timeout: 10_000 },
	);
	const item = await page.evaluateHandle((names: string[]) => {
		const items = [...document.querySelectorAll('[data-test-id="parameter-input-item"]')].filter(
			(e) => (e as HTMLElement).offsetParent !== null,
		);
		return (
			items.find((e) =>
				names.includes(
					(e.querySelector('.option-headline')?.textContent ?? e.textContent ?? '').trim(),
				),
			) ?? null
		);
	}, wanted);
	const el = item.asElement() as ElementHandle | null;
	if (!el) {
		const seen = await visibleOptions(page);
		await page.keyboard.press('Escape');
		throw new Error(
			`"${parameter}": no option ${JSON.stringify(wanted)} among ${JSON.stringify(seen)}`,
		);
	}
	// a DOM click: the dropdown may still be animating, which makes a mouse click miss
	await el.evaluate((e) => {
		e.scrollIntoView({ block: 'center' });
		(e as HTMLElement).click();
	});
	await page.waitForFunction(
		(s: string, names: string[]) =>
			names.includes((document.querySelector(s) as HTMLInputElement | null)?.value?.trim() ?? ''),
		{ timeout: 10_000 },
		`${sel.input(parameter)} input`,
		wanted,
	);
}

export interface PanelContents {
	/** names of the parameter inputs shown (data-test-id parameter-input-<name>) */
	inputs: string[];
	/** visible text of the parameters pane */
	text: string;
}

export async function panelContents(page: Page): Promise<PanelContents> {
	return page.$eval(sel.parameters, (root) => ({
		inputs: [...root.querySelectorAll('[data-test-id^="parameter-input-"]')]
			.filter((e) => (e as HTMLElement).offsetParent !== null)
			.map((e) => e.getAttribute('data-test-id')!.slice('parameter-input-'.length))
			.filter((n) => n !== 'item' && n !== 'field' && n !== 'options-container'),
		text: (root as HTMLElement).innerText,
	}));
}

const VISIBLE_RLC_ITEMS = `[...document.querySelectorAll('[data-test-id="rlc-item"]')].filter((e) => e.offsetParent !== null)`;

/** Names in the open "From List" dropdown of a resource locator, once it has loaded some (or [] after 20 s). */
export async function listEntries(page: Page, timeoutMs = 20_000): Promise<string[]> {
	await page
		.waitForFunction(`${VISIBLE_RLC_ITEMS}.length > 0`, { timeout: timeoutMs })
		.catch(() => undefined);
	await pause(400); // the dropdown fades in: let the screenshot show it settled
	return (await page.evaluate(`${VISIBLE_RLC_ITEMS}.map((e) => e.innerText.trim())`)) as string[];
}

/** Types into the open list's search box; resolves with the entries once the list has been narrowed. */
export async function searchList(page: Page, filter: string): Promise<string[]> {
	// each locator has its own (hidden when closed) search box: take the visible one
	await page.waitForFunction(
		() =>
			[...document.querySelectorAll('[data-test-id="rlc-search"]')].some(
				(e) => (e as HTMLElement).offsetParent !== null,
			),
		{ timeout: 10_000 },
	);
	const handle = await page.evaluateHandle(() => {
		const box = [...document.querySelectorAll('[data-test-id="rlc-search"]')].find(
			(e) => (e as HTMLElement).offsetParent !== null,
		);
		return box && box.tagName !== 'INPUT' ? box.querySelector('input') : box;
	});
	const box = handle.asElement() as ElementHandle | null;
	if (!box) throw new Error('the list has no search box');
	await box!.type(filter);
	await page
		.waitForFunction(
			(f: string) => {
				const items = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter(
					(e) => (e as HTMLElement).offsetParent !== null,
				);
				const names = items.map((e) => (e as HTMLElement).innerText.trim().toLowerCase());
				return names.length > 0 && names.every((n) => n.includes(f.toLowerCase()));
			},
			{ timeout: 15_000 },
			filter,
		)
		.catch(() => undefined);
	return listEntries(page, 1_000);
}

export async function pickListEntry(page: Page, name: string): Promise<void> {
	const item = await page.evaluateHandle((n: string) => {
		return (
			[...document.querySelectorAll('[data-test-id="rlc-item"]')].find(
				(e) =>
					(e as HTMLElement).offsetParent !== null && (e as HTMLElement).innerText.trim() === n,
			) ?? null
		);
	}, name);
	const el = item.asElement() as ElementHandle | null;
	if (!el) throw new Error(`no list entry "${name}"`);
	await el.click();
}

/** Headers and cell texts of the output panel's table view. */
export async function outputTable(page: Page): Promise<{ headers: string[]; rows: string[][] }> {
	return page.$eval(`${sel.output} table`, (t) => ({
		headers: [...t.querySelectorAll('thead th')].map((e) => (e as HTMLElement).innerText.trim()),
		rows: [...t.querySelectorAll('tbody tr')].map((tr) =>
			[...tr.querySelectorAll('td')].map((e) => (e as HTMLElement).innerText.trim()),
		),
	}));
}

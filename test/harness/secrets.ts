/** Leak checks for tests: no App Secret and no tenant token in anything a user could see. */
import { inspect } from 'util';

/** Every text form of a value a user or a log could see: message, description, JSON, inspect, stack. */
export function textForms(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const e = value as {
		message?: unknown;
		description?: unknown;
		stack?: unknown;
		messages?: unknown;
	};
	const forms: string[] = [];
	for (const part of [e.message, e.description, e.stack, e.messages]) {
		if (part !== undefined) forms.push(typeof part === 'string' ? part : JSON.stringify(part));
	}
	try {
		forms.push(JSON.stringify(value) ?? '');
	} catch {
		// circular: inspect below still covers it
	}
	forms.push(inspect(value, { depth: 12, showHidden: false }));
	return forms;
}

/** The secrets found in any text form of any of the values (empty when clean). */
export function findSecrets(values: unknown[], secrets: string[]): string[] {
	const wanted = secrets.filter((s) => typeof s === 'string' && s.length >= 4);
	const found = new Set<string>();
	for (const value of values) {
		for (const text of textForms(value)) {
			for (const secret of wanted) if (text.includes(secret)) found.add(secret);
		}
	}
	return [...found];
}

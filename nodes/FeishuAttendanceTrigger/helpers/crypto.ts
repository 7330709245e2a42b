import { createDecipheriv, createHash, timingSafeEqual } from 'crypto';

/**
 * Feishu / Lark event security primitives ("Encrypt Key" strategy: https://open.feishu.cn/document/ukTMukTMukTM/uYDNxYjL2QTM24iN0EjN/event-subscription-configure-/encrypt-key-encryption-configuration-case).
 * Pure functions: no n8n context, no I/O. They never throw; failures come back as values so the
 * webhook can answer with the right HTTP status.
 */

type DecryptResult = { ok: true; text: string } | { ok: false; reason: string };

/** AES key = SHA-256 of the Encrypt Key (32 bytes -> AES-256). */
function aesKeyFromEncryptKey(encryptKey: string): Buffer {
	return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/**
 * Decrypts the `encrypt` field of an event body: base64 -> IV (first 16 bytes) + AES-256-CBC
 * ciphertext, PKCS#7 padding. Official vector: key `test key`,
 * `P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=` -> `hello world`.
 */
export function decryptEncryptField(encrypted: string, encryptKey: string): DecryptResult {
	if (typeof encrypted !== 'string' || encrypted.trim() === '') {
		return { ok: false, reason: 'The "encrypt" field is empty' };
	}
	const data = Buffer.from(encrypted.trim(), 'base64');
	if (data.length < 32 || (data.length - 16) % 16 !== 0) {
		return { ok: false, reason: 'The "encrypt" field is not valid AES-256-CBC data' };
	}
	try {
		const decipher = createDecipheriv(
			'aes-256-cbc',
			aesKeyFromEncryptKey(encryptKey),
			data.subarray(0, 16),
		);
		const plain = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
		return { ok: true, text: plain.toString('utf8') };
	} catch {
		// Bad padding after decryption = a different Encrypt Key than the one in the Feishu console.
		return { ok: false, reason: 'The event could not be decrypted: check the Encrypt Key' };
	}
}

/**
 * `X-Lark-Signature` = lowercase hex SHA-256 of
 * X-Lark-Request-Timestamp + X-Lark-Request-Nonce + Encrypt Key + raw body bytes (as received).
 */
export function computeSignature(
	timestamp: string,
	nonce: string,
	encryptKey: string,
	rawBody: Buffer | string,
): string {
	return createHash('sha256')
		.update(`${timestamp}${nonce}${encryptKey}`, 'utf8')
		.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
		.digest('hex');
}

/** Constant-time string comparison (different lengths compare unequal without leaking where). */
export function safeEqual(a: string, b: string): boolean {
	const left = createHash('sha256').update(a, 'utf8').digest();
	const right = createHash('sha256').update(b, 'utf8').digest();
	return timingSafeEqual(left, right) && a.length === b.length;
}

export function isValidSignature(
	signature: string,
	timestamp: string,
	nonce: string,
	encryptKey: string,
	rawBody: Buffer | string,
): boolean {
	const expected = computeSignature(timestamp, nonce, encryptKey, rawBody);
	return safeEqual(signature.trim().toLowerCase(), expected);
}

import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Real files: a PNG and a JPEG of a seal, and a one-page PDF (made once with pngjs, jpeg-js and by hand). */
export const SEAL_PNG = readFileSync(join(__dirname, 'fixtures/seal.png'));
export const SEAL_JPG = readFileSync(join(__dirname, 'fixtures/seal.jpg'));
export const FORM_PDF = readFileSync(join(__dirname, 'fixtures/form.pdf'));

export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

export const scanUrl = (unit: string, period: string) => `/api/v1/units/${unit}/reports/${period}/scan`;

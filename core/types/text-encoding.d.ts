// TextEncoder/TextDecoder exist in every runtime the core runs in (Node, browsers, Electron), but
// the ES library typings without DOM do not declare them; this declares the part the core uses.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}

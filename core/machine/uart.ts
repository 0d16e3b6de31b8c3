// A 16550-compatible UART at 0x1000_0000 (register subset that polling drivers use): THR/RBR +0,
// IER +1, IIR/FCR +2, LCR +3, MCR +4, LSR +5, MSR +6, SCR +7; DLL/DLM when LCR.DLAB is set.
// Transmit is instantaneous (THRE/TEMT always set); received bytes queue until read.
import type { MmioDevice } from './memory';

export const UART_BASE = 0x1000_0000;
export const UART_SIZE = 0x100;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;

export class Uart implements MmioDevice {
  readonly name = 'uart';
  readonly base = UART_BASE;
  readonly size = UART_SIZE;
  /** Receives every byte the guest transmits. */
  onOutput: (byte: number) => void = () => {};
  private input: number[] = [];
  private inputHead = 0;
  private ier = 0;
  private lcr = 0;
  private mcr = 0;
  private scr = 0;
  private dll = 0;
  private dlm = 0;

  /** Queues bytes for the guest to read from RBR. */
  pushInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
  }

  get inputPending(): number {
    return this.input.length - this.inputHead;
  }

  read(off: number, _width: 1 | 2 | 4): number {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0:
        if (dlab) return this.dll;
        return this.takeInput();
      case 1:
        return dlab ? this.dlm : this.ier;
      case 2:
        // IIR: FIFOs enabled, no interrupt pending (no PLIC on this board).
        return 0xc1;
      case 3:
        return this.lcr;
      case 4:
        return this.mcr;
      case 5:
        return LSR_THRE | LSR_TEMT | (this.inputPending > 0 ? LSR_DR : 0);
      case 6:
        return 0xb0; // DCD, DSR, CTS asserted
      case 7:
        return this.scr;
      default:
        return 0;
    }
  }

  write(off: number, _width: 1 | 2 | 4, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0:
        if (dlab) this.dll = v;
        else this.onOutput(v);
        break;
      case 1:
        if (dlab) this.dlm = v;
        else this.ier = v & 0x0f;
        break;
      case 2:
        // FCR: bit 1 clears the receive FIFO.
        if (v & 0x02) {
          this.input = [];
          this.inputHead = 0;
        }
        break;
      case 3:
        this.lcr = v;
        break;
      case 4:
        this.mcr = v;
        break;
      case 7:
        this.scr = v;
        break;
      default:
        break;
    }
  }

  private takeInput(): number {
    if (this.inputHead >= this.input.length) return 0;
    const b = this.input[this.inputHead++]!;
    if (this.inputHead > 4096 && this.inputHead * 2 > this.input.length) {
      this.input = this.input.slice(this.inputHead);
      this.inputHead = 0;
    }
    return b;
  }
}

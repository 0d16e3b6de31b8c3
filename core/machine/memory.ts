// Physical memory of the board: one RAM region (typed-array backed, little-endian) plus
// memory-mapped devices. The hart's fast paths index `u8`/`u16`/`i32` directly with RAM offsets;
// everything else goes through `PhysicalBus`.

/** Default RAM: 128 MiB at 0x8000_0000 (ABI.md). */
export const RAM_BASE = 0x8000_0000;
export const DEFAULT_RAM_SIZE = 128 * 1024 * 1024;
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** A memory-mapped device. Offsets are relative to `base`; width is 1, 2, 4 or 8 bytes. */
export interface MmioDevice {
  readonly name: string;
  readonly base: number;
  readonly size: number;
  read(offset: number, width: 1 | 2 | 4): number;
  write(offset: number, width: 1 | 2 | 4, value: number): void;
}

export class PhysicalMemory {
  readonly base: number;
  readonly size: number;
  readonly buffer: ArrayBuffer;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly view: DataView;

  constructor(size = DEFAULT_RAM_SIZE, base = RAM_BASE) {
    if (size <= 0 || size % PAGE_SIZE !== 0)
      throw new RangeError(`RAM size must be a positive multiple of 4096, got ${size}`);
    if (base % PAGE_SIZE !== 0) throw new RangeError(`RAM base must be page-aligned`);
    this.base = base >>> 0;
    this.size = size;
    this.buffer = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buffer);
    this.u16 = new Uint16Array(this.buffer);
    this.i32 = new Int32Array(this.buffer);
    this.u32 = new Uint32Array(this.buffer);
    this.view = new DataView(this.buffer);
  }

  /** True when [paddr, paddr+len) lies inside RAM. */
  contains(paddr: number, len = 1): boolean {
    const off = (paddr >>> 0) - this.base;
    return off >= 0 && len >= 0 && off + len <= this.size;
  }

  /** RAM offset of a physical address (no bounds check). */
  offset(paddr: number): number {
    return (paddr >>> 0) - this.base;
  }

  read8(paddr: number): number {
    return this.u8[this.offset(paddr)]!;
  }
  read16(paddr: number): number {
    return this.view.getUint16(this.offset(paddr), true);
  }
  read32(paddr: number): number {
    return this.view.getUint32(this.offset(paddr), true);
  }
  write8(paddr: number, v: number): void {
    this.u8[this.offset(paddr)] = v;
  }
  write16(paddr: number, v: number): void {
    this.view.setUint16(this.offset(paddr), v, true);
  }
  write32(paddr: number, v: number): void {
    this.view.setUint32(this.offset(paddr), v >>> 0, true);
  }
  readBytes(paddr: number, len: number): Uint8Array {
    const off = this.offset(paddr);
    return this.u8.slice(off, off + len);
  }
  writeBytes(paddr: number, data: Uint8Array): void {
    this.u8.set(data, this.offset(paddr));
  }
  fill(paddr: number, len: number, value = 0): void {
    const off = this.offset(paddr);
    this.u8.fill(value, off, off + len);
  }
}

/** RAM plus devices; the slow path for every access that is not a plain RAM hit. */
export class PhysicalBus {
  readonly ram: PhysicalMemory;
  private readonly devices: MmioDevice[] = [];

  constructor(ram: PhysicalMemory) {
    this.ram = ram;
  }

  attach(device: MmioDevice): void {
    for (const d of this.devices) {
      if (device.base < d.base + d.size && d.base < device.base + device.size) {
        throw new Error(`MMIO ${device.name} overlaps ${d.name}`);
      }
    }
    this.devices.push(device);
  }

  /** The device covering [paddr, paddr+width), or undefined. */
  device(paddr: number, width = 1): MmioDevice | undefined {
    const a = paddr >>> 0;
    for (const d of this.devices) {
      if (a >= d.base && a + width <= d.base + d.size) return d;
    }
    return undefined;
  }

  get mmioDevices(): readonly MmioDevice[] {
    return this.devices;
  }
}

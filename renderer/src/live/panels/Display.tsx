// The guest's framebuffer, drawn to a canvas scaled to fit with crisp pixels.
import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../../ui/context';
import type { FramebufferFrame } from '../types';
import { Empty } from './Empty';

export interface DisplayViewProps {
  frame: FramebufferFrame | null;
}

export function DisplayView({ frame }: DisplayViewProps): ReactNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = canvas.current;
    if (!c || !frame) return;
    if (frame.pixels.length < frame.width * frame.height * 4) return;
    if (c.width !== frame.width) c.width = frame.width;
    if (c.height !== frame.height) c.height = frame.height;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(frame.width, frame.height);
    img.data.set(frame.pixels.subarray(0, frame.width * frame.height * 4));
    ctx.putImageData(img, 0, 0);
  }, [frame]);
  if (!frame) return <Empty what="its display" />;
  return (
    <div className="panel-fill display">
      <canvas ref={canvas} className="fb-canvas" aria-label={`Framebuffer ${frame.width}×${frame.height}`} />
    </div>
  );
}

export function DisplayPanel(): ReactNode {
  const frame = useApp((s) => s.frame);
  return <DisplayView frame={frame} />;
}

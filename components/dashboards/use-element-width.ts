"use client";

import { useCallback, useRef, useState } from "react";

// Widths are rounded so that a scrollbar appearing or a 3-pixel resize does not refetch every
// panel: the server only needs the width to pick a step that gives about one point per pixel.
const BUCKET_PX = 100;

/**
 * The measured width of an element (ResizeObserver), in 100-pixel buckets; null until the
 * first measurement so the caller can wait for it instead of fetching with a guess.
 */
export function useElementWidth<T extends HTMLElement>(columns: (containerWidth: number) => number = () => 1) {
  const [width, setWidth] = useState<number | null>(null);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback(
    (node: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!node) return;
      const measure = (containerWidth: number) => {
        const perPanel = containerWidth / Math.max(1, columns(containerWidth));
        setWidth(Math.max(BUCKET_PX, Math.round(perPanel / BUCKET_PX) * BUCKET_PX));
      };
      measure(node.getBoundingClientRect().width);
      observer.current = new ResizeObserver((entries) => {
        const entry = entries[0];
        if (entry) measure(entry.contentRect.width);
      });
      observer.current.observe(node);
    },
    // `columns` is read once, when the element mounts: pass a module-level function.
    [],
  );
  return { ref, width };
}

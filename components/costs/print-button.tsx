"use client";

import { Printer } from "lucide-react";
import { Button } from "@/components/ui/button";

/** The browser's own print dialog: the statement's `@media print` layout does the rest. */
export function PrintButton() {
  return (
    <Button type="button" variant="outline" size="sm" className="print:hidden" onClick={() => window.print()}>
      <Printer aria-hidden /> Print
    </Button>
  );
}

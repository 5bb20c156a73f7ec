"use client";

import { TriangleAlert } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import type { Issued } from "@/components/forms/api";

/** Shows a freshly issued secret once; closing the dialog drops it from memory. */
export function SecretDialog({ issued, onClose }: { issued: Issued | null; onClose: () => void }) {
  return (
    <Dialog open={issued !== null} onOpenChange={(open) => (!open ? onClose() : undefined)}>
      <DialogContent className="max-w-2xl grid-cols-[minmax(0,1fr)]">
        <DialogHeader>
          <DialogTitle>Your key “{issued?.alias}”</DialogTitle>
          <DialogDescription>Copy it now. It is shown only once and cannot be shown again.</DialogDescription>
        </DialogHeader>
        {issued ? (
          <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-4">
            <Alert variant="warning" icon={<TriangleAlert className="size-4" />}>
              <AlertTitle>Store it in a secret manager</AlertTitle>
              <AlertDescription>Anyone with this key can spend your tenant&apos;s budget.</AlertDescription>
            </Alert>
            <div className="flex items-center gap-2 rounded-md border border-border bg-muted p-2">
              <code data-testid="new-key-secret" className="min-w-0 flex-1 truncate font-mono text-sm">
                {issued.secret}
              </code>
              <CopyButton value={issued.secret} label="Copy key" showLabel />
            </div>
            <Tabs defaultValue={issued.snippets[0]?.id} className="min-w-0">
              <TabsList aria-label="Snippets">
                {issued.snippets.map((s) => (
                  <TabsTrigger key={s.id} value={s.id}>
                    {s.title}
                  </TabsTrigger>
                ))}
              </TabsList>
              {issued.snippets.map((s) => (
                <TabsContent key={s.id} value={s.id} className="min-w-0">
                  <CodeBlock code={s.code} language={s.language} title={s.title} copyLabel={`Copy ${s.title} snippet`} />
                </TabsContent>
              ))}
            </Tabs>
          </div>
        ) : null}
        <DialogFooter>
          <Button onClick={onClose}>I have stored the key</Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

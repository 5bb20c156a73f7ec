/** localStorage key holding "light" | "dark" | "system". */
export const THEME_STORAGE_KEY = "theme";

// Constant string, no interpolation of user input. Runs before first paint to set
// the `dark` class on <html>, avoiding a flash of the wrong theme.
const script = `(function(){try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");var d=t==="dark"||(t!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var r=document.documentElement;r.classList.toggle("dark",d);r.style.colorScheme=d?"dark":"light";}catch(e){}})();`;

/**
 * Render inside <head> of the root layout. Because it mutates <html> before
 * hydration, put `suppressHydrationWarning` on the <html> element.
 */
export function ThemeScript({ nonce }: { nonce?: string }) {
  return <script nonce={nonce} dangerouslySetInnerHTML={{ __html: script }} />;
}

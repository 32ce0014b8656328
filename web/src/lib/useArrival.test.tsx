import { render, screen, waitFor } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { describe, expect, it } from "vitest";
import { useArrival } from "./useArrival.ts";

function Page() {
  const { saved } = useArrival<{ saved: string }>();
  return <p data-testid="page">{saved ? `Saved ${saved}` : "Nothing to say"}</p>;
}

describe("useArrival", () => {
  it("shows what the last page said once: the history entry forgets it, so a reload does not", async () => {
    const router = createMemoryRouter([{ path: "/merchant/products", element: <Page /> }], {
      initialEntries: [
        { pathname: "/merchant/products", search: "?page=2", state: { saved: "Tea" } },
      ],
    });
    const first = render(<RouterProvider router={router} />);
    expect(screen.getByTestId("page").textContent).toBe("Saved Tea");
    await waitFor(() => expect(router.state.location.state).toBeNull());
    expect(router.state.location.search).toBe("?page=2");
    // The notice stays while the page is open…
    expect(screen.getByTestId("page").textContent).toBe("Saved Tea");
    first.unmount();

    // …and a reload (the same history entry, rendered anew) says nothing.
    const reloaded = createMemoryRouter([{ path: "/merchant/products", element: <Page /> }], {
      initialEntries: [router.state.location],
    });
    render(<RouterProvider router={reloaded} />);
    expect(screen.getByTestId("page").textContent).toBe("Nothing to say");
  });
});

import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { ErrorNotice } from '../components/ErrorNotice';

interface BoundaryProps {
  children: ReactNode;
  /** The address shown: a new one leaves the error behind. */
  locationKey: string;
}

interface BoundaryState {
  error: unknown;
  locationKey: string;
}

class Boundary extends Component<BoundaryProps, BoundaryState> {
  override state: BoundaryState = { error: undefined, locationKey: this.props.locationKey };

  static getDerivedStateFromError(error: unknown): Partial<BoundaryState> {
    return { error };
  }

  static getDerivedStateFromProps(
    props: BoundaryProps,
    state: BoundaryState,
  ): Partial<BoundaryState> | null {
    return props.locationKey === state.locationKey
      ? null
      : { error: undefined, locationKey: props.locationKey };
  }

  override render() {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    return (
      <main className="loading-screen">
        <ErrorNotice action={<a href={window.location.href}>Reload the page</a>}>
          Something went wrong: {error instanceof Error ? error.message : String(error)}
        </ErrorNotice>
      </main>
    );
  }
}

/**
 * A screen that fails to render (or whose chunk cannot be fetched) shows the error instead of
 * a blank page, until another address is opened: what a data router's default error element
 * did before the app moved to declarative routes.
 */
export const RouteErrorBoundary = ({ children }: { children: ReactNode }) => (
  <Boundary locationKey={useLocation().key}>{children}</Boundary>
);

// Ant Design's App: the message, modal and notification hooks (App.useApp) of the screens below it.
import { ReactNode } from 'react';
import { App } from 'antd';

export default function Feedback({ children }: { children: ReactNode }) {
  return <App>{children}</App>;
}

// One filter of a list screen: a labelled select whose choice can be cleared.
import { Form, Select } from 'antd';

export function FilterSelect(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
  onChange(value: string | undefined): void;
  width?: number;
}) {
  return (
    <Form.Item label={props.label} htmlFor={props.id}>
      <Select
        id={props.id}
        allowClear
        style={{ width: props.width ?? 160 }}
        value={props.value}
        onChange={props.onChange}
        options={props.options}
      />
    </Form.Item>
  );
}

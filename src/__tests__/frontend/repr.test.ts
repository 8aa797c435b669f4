import { unreprString } from '../../backend/repr';

describe('unreprString', () => {
  it('reads back the JSON inside a Python str repr', () => {
    const json = '{"backend": "jax", "keras_version": "3.15.1"}';
    expect(JSON.parse(unreprString(`'${json}'`))).toEqual({ backend: 'jax', keras_version: '3.15.1' });
  });

  it('undoes the escapes repr adds', () => {
    expect(unreprString("'it\\'s \\\\u00e9 \\n'")).toBe("it's \\u00e9 \n");
    expect(unreprString('"say \'hi\'"')).toBe("say 'hi'");
    expect(unreprString("'\\x41'")).toBe('A');
  });

  it('leaves text that is not a quoted repr as it is', () => {
    expect(unreprString('{"a": 1}')).toBe('{"a": 1}');
  });
});

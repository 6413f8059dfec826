// A diff with one finding per default module except oversized_change; shared by the app tests.
// The key is AWS's documented example, not a credential.
export const SAMPLE_DIFF = `diff --git a/src/app.ts b/src/app.ts
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,2 +1,5 @@
 const a = 1;
+// TODO: remove before release
+console.log('debugging', a);
+const awsKey = 'AKIAIOSFODNN7EXAMPLE';
 export default a;
`;

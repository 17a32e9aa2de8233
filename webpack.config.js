// Four bundles: the extension and the standalone debug adapter and CLI (Node), and the webview (web).
'use strict';
const path = require('path');
const webpack = require('webpack');
const CopyPlugin = require('copy-webpack-plugin');

const tsRule = (configFile) => ({
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { configFile, transpileOnly: true } }],
});

const nodeBundle = (name, entry) => ({
  name,
  target: 'node',
  entry: { [name]: entry },
  output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js', libraryTarget: 'commonjs2' },
  externals: { vscode: 'commonjs vscode' },
  resolve: { extensions: ['.ts', '.js'] },
  module: { rules: [tsRule(path.resolve(__dirname, 'tsconfig.json'))] },
  devtool: 'nosources-source-map',
  optimization: { minimize: false },
  performance: { hints: false },
});

const cli = nodeBundle('cli', './src/cli/main.ts');
// The CLI bundle is the package's `bin`: it must start with a shebang, which bundling drops.
cli.plugins = [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true })];

module.exports = [
  nodeBundle('extension', './src/extension/extension.ts'),
  nodeBundle('debugAdapter', './src/debug/standalone.ts'),
  cli,
  {
    name: 'webview',
    target: 'web',
    entry: { webview: './webview-ui/src/main.ts' },
    output: { path: path.resolve(__dirname, 'dist'), filename: '[name].js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [tsRule(path.resolve(__dirname, 'webview-ui/tsconfig.json'))] },
    devtool: false,
    performance: { hints: false },
    // The panels load codicons from the bundle folder (their CSP allows nothing else).
    plugins: [
      new CopyPlugin({
        patterns: [
          { from: 'node_modules/@vscode/codicons/dist/codicon.css', to: 'codicons/' },
          { from: 'node_modules/@vscode/codicons/dist/codicon.ttf', to: 'codicons/' },
        ],
      }),
    ],
  },
];

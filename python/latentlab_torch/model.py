"""A Latentlab model as a torch.nn.Module of the same architecture, with its weights (and Adam's moments) moved
between the engine's layouts and PyTorch's.

Layouts (docs/hdf5-format.md; engine/layers/*.h):
  Dense        W (out, in), b (out, 1)                      -> nn.Linear weight (out, in), bias (out,)
  Conv2d       W (Cout, k*k*Cin), column (ky*k + kx)*Cin + c -> nn.Conv2d weight (Cout, Cin, k, k):
               W.reshape(Cout, k, k, Cin).permute(0, 3, 1, 2)
  ConvT2d      W (Cin, k*k*Cout), column (ky*k + kx)*Cout + co -> nn.ConvTranspose2d weight (Cin, Cout, k, k):
               W.reshape(Cin, k, k, Cout).permute(0, 3, 1, 2)
  Lstm         Wx (4H, C) = weight_ih_l0, Wh (4H, H) = weight_hh_l0, b (4H, 1) = bias_ih_l0; bias_hh_l0 is held
               at zero (not trained), so the engine's single bias is PyTorch's two; gates i, f, g, o in both
  StepDense    W (out, in), b (out, 1)                      -> one nn.Linear applied at every step
  DecoderInput Wz (H, d), Wy (H, K), b (H, 1)               -> a = z Wz^T + y Wy^T + b
Samples are rows of D features in the engine's order: images channels-last, sequences time-major. The conv
flavour turns them into NCHW for its convolutions and flattens the last map channels-last again, so the dense
layer after the convolutions (and the decoder's dense layer into the first transposed convolution) keep the
engine's weights unchanged.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

ACTIVATIONS = {'relu': F.relu, 'softplus': F.softplus, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh}


class DecoderInput(nn.Module):
    """The decoder's first layer on (z, y): a = z Wz^T + y Wy^T + b. y one-hot or q(y|x)."""

    def __init__(self, latent, classes, width):
        super().__init__()
        self.Wz = nn.Parameter(torch.zeros(width, latent))
        self.Wy = nn.Parameter(torch.zeros(width, classes))
        self.b = nn.Parameter(torch.zeros(width))

    def forward(self, z, y):
        return z @ self.Wz.t() + y @ self.Wy.t() + self.b


def _lstm(inputs, hidden):
    lstm = nn.LSTM(inputs, hidden, batch_first=True)
    with torch.no_grad():
        lstm.bias_hh_l0.zero_()
    lstm.bias_hh_l0.requires_grad_(False)  # the engine has one bias per gate row
    return lstm


class Transfer:
    """How one engine tensor maps to one torch parameter: to_torch(array) and to_engine(tensor)."""

    def __init__(self, name, parameter, kind, shape):
        self.name, self.parameter, self.kind, self.shape = name, parameter, kind, tuple(shape)

    def to_torch(self, a):
        t = torch.as_tensor(a, dtype=torch.float32)
        if self.kind == 'bias':
            return t.reshape(-1)
        if self.kind in ('conv', 'conv_transpose'):
            rows, k = self.shape[0], self.parameter.shape[2]
            return t.reshape(rows, k, k, -1).permute(0, 3, 1, 2).contiguous()
        return t.reshape(self.parameter.shape)

    def to_engine(self, t):
        t = t.detach().to('cpu', torch.float32)
        if self.kind in ('conv', 'conv_transpose'):
            t = t.permute(0, 2, 3, 1)
        return t.reshape(self.shape).numpy().copy()


class LatentlabVAE(nn.Module):
    """The semi-supervised VAE of one model file: trunk, heads [mu; logvar; logits], decoder input on (z, y),
    decoder body. encode(x) -> mu, logvar, logits; decode(z, y) -> logits (Bernoulli) or means (Gaussian) in
    the engine's feature order; forward(x) = encode(x)."""

    def __init__(self, arch):
        super().__init__()
        self.arch = arch
        self.act = ACTIVATIONS[arch.activation]
        self.transfers = []  # in the engine's parameter order
        d, K = arch.latent, arch.classes
        build = {'dense': self._build_dense, 'conv': self._build_conv, 'recurrent': self._build_recurrent}
        trunk_out, decoder_width = build[arch.flavour]()
        self.heads = nn.Linear(trunk_out, 2 * d + K)
        self.decoder_input = DecoderInput(d, K, decoder_width)
        # engine order: encoder.trunk.*, encoder.heads.*, decoder.input.*, decoder.body.*
        trunk, body = self.transfers, self._body_transfers
        self.transfers = trunk + [
            Transfer('encoder.heads.W', self.heads.weight, 'same', (2 * d + K, trunk_out)),
            Transfer('encoder.heads.b', self.heads.bias, 'bias', (2 * d + K, 1)),
            Transfer('decoder.input.Wz', self.decoder_input.Wz, 'same', (decoder_width, d)),
            Transfer('decoder.input.Wy', self.decoder_input.Wy, 'same', (decoder_width, K)),
            Transfer('decoder.input.b', self.decoder_input.b, 'bias', (decoder_width, 1))] + body

    # ---- flavours: each fills self.transfers (trunk) and self._body_transfers, returns (trunk output, decoder
    # width). Engine indices count the activations, which have no parameters (Sequential.h).

    def _linear(self, prefix, index, n_in, n_out, into):
        layer = nn.Linear(n_in, n_out)
        into += [Transfer(f'{prefix}.{index}.W', layer.weight, 'same', (n_out, n_in)),
                 Transfer(f'{prefix}.{index}.b', layer.bias, 'bias', (n_out, 1))]
        return layer

    def _build_dense(self):
        a = self.arch
        sizes = [a.input_size] + a.hidden
        self.trunk = nn.ModuleList(self._linear('encoder.trunk', 2 * i, sizes[i], sizes[i + 1], self.transfers)
                                   for i in range(len(a.hidden)))
        self._body_transfers = []
        back = sizes[::-1]  # Hn ... H1, D
        self.body = nn.ModuleList(self._linear('decoder.body', 2 * j - 1, back[j - 1], back[j], self._body_transfers)
                                  for j in range(1, len(back)))
        return sizes[-1], back[0]

    def _build_conv(self):
        a = self.arch
        k, p = a.conv_kernel, a.conv_kernel // 2 - 1
        maps = [(a.input_channels, a.input_height, a.input_width)]
        self.convs = nn.ModuleList()
        for i, ch in enumerate(a.conv_channels):
            c, h, w = maps[-1]
            conv = nn.Conv2d(c, ch, k, stride=2, padding=p)
            self.transfers += [Transfer(f'encoder.trunk.{2 * i}.W', conv.weight, 'conv', (ch, k * k * c)),
                               Transfer(f'encoder.trunk.{2 * i}.b', conv.bias, 'bias', (ch, 1))]
            self.convs.append(conv)
            maps.append((ch, (h + 2 * p - k) // 2 + 1, (w + 2 * p - k) // 2 + 1))
        self.maps = maps
        last = maps[-1][0] * maps[-1][1] * maps[-1][2]
        sizes = [last] + a.hidden
        base = 2 * len(a.conv_channels)
        self.trunk = nn.ModuleList(self._linear('encoder.trunk', base + 2 * i, sizes[i], sizes[i + 1], self.transfers)
                                   for i in range(len(a.hidden)))
        self._body_transfers = []
        dense = a.hidden[::-1] + [last]
        self.body = nn.ModuleList(self._linear('decoder.body', 2 * i - 1, dense[i - 1], dense[i], self._body_transfers)
                                  for i in range(1, len(dense)))
        index = 2 * (len(dense) - 1) + 1
        self.deconvs = nn.ModuleList()
        for i in range(len(maps) - 1, 0, -1):
            (cin, _, _), (cout, _, _) = maps[i], maps[i - 1]
            up = nn.ConvTranspose2d(cin, cout, k, stride=2, padding=p)
            self._body_transfers += [Transfer(f'decoder.body.{index}.W', up.weight, 'conv_transpose', (cin, k * k * cout)),
                                     Transfer(f'decoder.body.{index}.b', up.bias, 'bias', (cout, 1))]
            self.deconvs.append(up)
            index += 2  # the activation after each but the last
        return sizes[-1], dense[0]

    def _build_recurrent(self):
        a = self.arch
        R, L, C = a.lstm_hidden, a.lstm_layers, a.input_channels
        self.lstms = nn.ModuleList()
        for layer in range(L):
            lstm = _lstm(C if layer == 0 else R, R)
            self.transfers += self._lstm_transfers(f'encoder.trunk.{layer}', lstm, C if layer == 0 else R, R)
            self.lstms.append(lstm)
        self._body_transfers = []
        self.decoder_lstms = nn.ModuleList()
        for layer in range(L):  # decoder.body.0 is the tanh
            lstm = _lstm(R, R)
            self._body_transfers += self._lstm_transfers(f'decoder.body.{layer + 1}', lstm, R, R)
            self.decoder_lstms.append(lstm)
        self.step_out = self._linear('decoder.body', L + 1, R, C, self._body_transfers)
        return R, R

    @staticmethod
    def _lstm_transfers(prefix, lstm, inputs, hidden):
        return [Transfer(f'{prefix}.Wx', lstm.weight_ih_l0, 'same', (4 * hidden, inputs)),
                Transfer(f'{prefix}.Wh', lstm.weight_hh_l0, 'same', (4 * hidden, hidden)),
                Transfer(f'{prefix}.b', lstm.bias_ih_l0, 'bias', (4 * hidden, 1))]

    # ---- the network --------------------------------------------------------------------------------------

    def trunk_forward(self, x):
        a = self.arch
        if a.flavour == 'conv':
            h = x.reshape(len(x), a.input_height, a.input_width, a.input_channels).permute(0, 3, 1, 2)
            for conv in self.convs:
                h = self.act(conv(h))
            h = h.permute(0, 2, 3, 1).reshape(len(x), -1)  # channels-last, as the engine's dense layer reads it
            for layer in self.trunk:
                h = self.act(layer(h))
            return h
        if a.flavour == 'recurrent':
            h = x.reshape(len(x), a.input_steps, a.input_channels)
            for lstm in self.lstms:
                h, _ = lstm(h)
            return h[:, -1] if a.lstm_pooling == 'last' else h.mean(dim=1)
        h = x
        for layer in self.trunk:
            h = self.act(layer(h))
        return h

    def encode(self, x):
        out = self.heads(self.trunk_forward(x))
        d = self.arch.latent
        return out[:, :d], out[:, d:2 * d], out[:, 2 * d:]

    def forward(self, x):
        return self.encode(x)

    def decode(self, z, y):
        """The decoder's output (N, D): Bernoulli logits or Gaussian means, in the engine's feature order."""
        a = self.arch
        h = self.decoder_input(z, y)
        if a.flavour == 'recurrent':
            h0 = torch.tanh(h)
            seq = h0.unsqueeze(1).expand(-1, a.input_steps, -1).contiguous()  # h0 fed at every step
            c0 = torch.zeros_like(h0).unsqueeze(0)
            seq, _ = self.decoder_lstms[0](seq, (h0.unsqueeze(0), c0))
            for lstm in self.decoder_lstms[1:]:
                seq, _ = lstm(seq)
            return self.step_out(seq).reshape(len(z), -1)  # time-major: feature t * C + c
        h = self.act(h)
        for i, layer in enumerate(self.body):
            h = layer(h)
            if a.flavour == 'conv' or i + 1 < len(self.body):
                h = self.act(h)
        if a.flavour != 'conv':
            return h
        c, hh, ww = self.maps[-1]
        h = h.reshape(len(z), hh, ww, c).permute(0, 3, 1, 2)
        for i, up in enumerate(self.deconvs):
            h = up(h)
            if i + 1 < len(self.deconvs):
                h = self.act(h)
        return h.permute(0, 2, 3, 1).reshape(len(z), -1)

    def mean(self, z, y):
        """Decoded means: pixel probabilities (Bernoulli) or the Gaussian means."""
        out = self.decode(z, y)
        return torch.sigmoid(out) if self.arch.likelihood == 'bernoulli' else out

    def classifier_parameters(self):
        """Trunk and heads: what the equivalent supervised classifier trains (engine: classifierParameters)."""
        n = sum(1 for t in self.transfers if t.name.startswith('encoder.'))
        return [t.parameter for t in self.transfers[:n]]

    # ---- weights in and out ----------------------------------------------------------------------------------

    def load_engine_parameters(self, parameters):
        """parameters: engine name -> array, as ModelFile.parameters gives them."""
        missing = [t.name for t in self.transfers if t.name not in parameters]
        if missing:
            raise KeyError(f'the file lacks {missing}')
        with torch.no_grad():
            for t in self.transfers:
                a = parameters[t.name]
                if tuple(a.shape) != t.shape:
                    raise ValueError(f'{t.name} has shape {a.shape}, the architecture needs {t.shape}')
                t.parameter.copy_(t.to_torch(a))

    def engine_parameters(self):
        return {t.name: t.to_engine(t.parameter) for t in self.transfers}


def from_model_file(model_file, device='cpu'):
    """The file's model as a LatentlabVAE with its weights, on device."""
    model = LatentlabVAE(model_file.architecture)
    model.load_engine_parameters(model_file.parameters)
    return model.to(device)

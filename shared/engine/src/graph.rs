//! ONNX graph preparation before tract sees a model: float arithmetic for int8 convolutions
//! where the CPU lacks a fast int8 kernel, and the split of a large graph into pieces that
//! tract optimises one by one.
//!
//! Both work on the ONNX protobuf, so the model file (and the model id derived from its
//! digest) stays what was shipped.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use tract_onnx::data_resolver;
use tract_onnx::prelude::Datum;
use tract_onnx::tensor::load_tensor;
use tract_onnx::tract_core::tract_linalg::isa::{self, Isa};

use tract_onnx::pb::{
    GraphProto, ModelProto, NodeProto, TensorProto, TypeProto, ValueInfoProto, tensor_proto,
    type_proto,
};

/// How ONNX graphs are prepared before tract optimises them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphOptions {
    /// Optimise graphs in pieces of about this many ONNX nodes (0: whole).
    pub piece_nodes: usize,
    /// How the int8 convolutions run.
    pub convolutions: Convolutions,
    /// With float convolutions, still round each activation to 8 bits between operators
    /// as the integer path does: embeddings a little closer to those of integer hosts
    /// (cosine 0.9998 instead of 0.9997 on a real face), the embedding 1.12 times as long.
    pub requantize: bool,
}

impl Default for GraphOptions {
    fn default() -> Self {
        Self {
            piece_nodes: 40,
            convolutions: Convolutions::Auto,
            requantize: false,
        }
    }
}

/// Arithmetic of the quantised convolutions (`QLinearConv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Convolutions {
    /// Integer where this CPU has a fast int8 kernel in tract, float elsewhere.
    Auto,
    /// Always tract's integer kernels.
    Integer,
    /// Always float: the weights dequantised at load ([`dequantize_convolutions`]) and,
    /// unless [`GraphOptions::requantize`], the activations left in float between operators
    /// ([`strip_requantization`]).
    Float,
}

impl Convolutions {
    /// Whether the convolutions run in float on this CPU.
    pub fn in_float(self) -> bool {
        match self {
            Self::Auto => !fast_int8_kernels(),
            Self::Integer => false,
            Self::Float => true,
        }
    }
}

/// Whether tract runs a fast int8 matrix kernel on this CPU: VNNI on x86-64, the dot-product
/// instructions on arm64, as tract itself found them (compiled in, present, not disabled by
/// `TRACT_CPU_ISA` or `TRACT_DOTPROD_DISABLE`). Without one its integer path is far slower
/// than float.
pub fn fast_int8_kernels() -> bool {
    let native = isa::native();
    [
        Isa::X86_64Avx512Vnni,
        Isa::X86_64AvxVnni,
        Isa::Aarch64DotProd,
    ]
    .into_iter()
    .any(|isa| native.has(isa))
}

/// A per-tensor (one value) or per-channel quantisation parameter for `channel`.
fn per_channel<T: Copy>(values: &[T], channels: usize, channel: usize) -> Option<T> {
    match values.len() {
        1 => values.first().copied(),
        n if n == channels => values.get(channel).copied(),
        _ => None,
    }
}

fn float_scalar_value(tensor: &TensorProto) -> Option<f32> {
    match (tensor.dims.is_empty(), &float_values(tensor)?[..]) {
        (true, [value]) => Some(*value),
        _ => None,
    }
}

fn float_values(tensor: &TensorProto) -> Option<Vec<f32>> {
    values(tensor, tensor_proto::DataType::Float)
}

fn int32_values(tensor: &TensorProto) -> Option<Vec<i32>> {
    values(tensor, tensor_proto::DataType::Int32)
}

fn uint8_values(tensor: &TensorProto) -> Option<Vec<u8>> {
    values(tensor, tensor_proto::DataType::Uint8)
}

fn int8_values(tensor: &TensorProto) -> Option<Vec<i8>> {
    values(tensor, tensor_proto::DataType::Int8)
}

/// An initializer's values when its ONNX type is `data_type`, read by tract's own loader (raw
/// or typed fields, length checked against the dims); `None` otherwise, and for values kept
/// outside the protobuf.
fn values<T: Datum + Copy>(
    tensor: &TensorProto,
    data_type: tensor_proto::DataType,
) -> Option<Vec<T>> {
    if tensor.data_type != data_type as i32 {
        return None;
    }
    let loaded = load_tensor(&*data_resolver::default(), tensor, None).ok()?;
    let view = loaded.to_plain_array_view::<T>().ok()?;
    Some(view.iter().copied().collect())
}

fn float_tensor(name: &str, dims: Vec<i64>, values: Vec<f32>) -> TensorProto {
    TensorProto {
        name: name.into(),
        dims,
        data_type: tensor_proto::DataType::Float as i32,
        float_data: values,
        ..TensorProto::default()
    }
}

fn operator(op_type: &str, name: &str, inputs: &[&str]) -> NodeProto {
    NodeProto {
        op_type: op_type.into(),
        name: name.into(),
        input: inputs.iter().map(|input| (*input).to_owned()).collect(),
        output: vec![name.into()],
        ..NodeProto::default()
    }
}

/// Prepares `model` to run its int8 convolutions in float: [`dequantize_convolutions`], then,
/// unless `requantize`, [`strip_requantization`] where the operator set allows it (11 or
/// later, where `Clip` takes its bounds as inputs).
pub fn convolutions_in_float(model: &mut ModelProto, requantize: bool) {
    let clip_takes_inputs = onnx_opset(model).is_some_and(|version| version >= 11);
    if let Some(graph) = model.graph.as_mut() {
        dequantize_convolutions(graph);
        if !requantize && clip_takes_inputs {
            strip_requantization(graph);
        }
    }
}

/// Every tensor name `graph` already uses: node outputs, initializers and inputs.
fn tensor_names(graph: &GraphProto) -> HashSet<String> {
    graph
        .node
        .iter()
        .flat_map(|node| node.output.iter().cloned())
        .chain(graph.initializer.iter().map(|tensor| tensor.name.clone()))
        .chain(graph.input.iter().map(|input| input.name.clone()))
        .collect()
}

/// Rewrites every `QLinearConv` whose weights, scales, zero points and bias are initializers
/// as `DequantizeLinear` → float `Conv` → `QuantizeLinear`, the weights and bias dequantised
/// once here.
///
/// The result is what the integer convolution computes, up to float rounding of its sums;
/// the model file, and so its id, stays the same. For CPUs where tract has no fast int8
/// kernel (x86-64 without VNNI), whose integer path is many times slower than float.
/// Returns how many nodes were rewritten.
pub fn dequantize_convolutions(graph: &mut GraphProto) -> usize {
    let mut taken = tensor_names(graph);
    let mut constants = Vec::new();
    let mut nodes = Vec::with_capacity(graph.node.len());
    let mut rewritten = 0;
    for node in std::mem::take(&mut graph.node) {
        let float = float_convolution(&node, &graph.initializer);
        let (Some(float), [x, x_scale, x_zero, _, _, _, y_scale, y_zero, ..], [output]) =
            (float, &node.input[..], &node.output[..])
        else {
            nodes.push(node);
            continue;
        };
        // Named after the node's output, which is unique; skipped if a name is taken.
        let name = |part: &str| format!("{output}/float/{part}");
        let parts = ["weights", "bias", "input", "conv"].map(name);
        if parts.iter().any(|part| taken.contains(part)) {
            nodes.push(node);
            continue;
        }
        taken.extend(parts);
        constants.push(float_tensor(
            &name("weights"),
            float.weight_dims,
            float.weights,
        ));
        constants.push(float_tensor(
            &name("bias"),
            vec![float.bias.len() as i64],
            float.bias,
        ));
        nodes.push(operator(
            "DequantizeLinear",
            &name("input"),
            &[x, x_scale, x_zero],
        ));
        let mut conv = operator(
            "Conv",
            &name("conv"),
            &[&name("input"), &name("weights"), &name("bias")],
        );
        conv.attribute = node.attribute.clone();
        nodes.push(conv);
        let mut quantize = operator(
            "QuantizeLinear",
            &name("output"),
            &[&name("conv"), y_scale, y_zero],
        );
        quantize.output = node.output.clone();
        nodes.push(quantize);
        rewritten += 1;
    }
    graph.node = nodes;
    graph.initializer.extend(constants);
    rewritten
}

/// Replaces every `QuantizeLinear` whose output only `DequantizeLinear` nodes of the same
/// scale and zero point read (the round trip between two float operators, as
/// [`dequantize_convolutions`] leaves after each convolution) by a `Clip` to the range that
/// quantisation allows.
///
/// Only the rounding of activations to the 8-bit grid is lost (the weights stay as
/// quantised); tract then fuses the clip, the bias and the activation into the
/// convolution's kernel instead of running two element-wise passes over each activation.
/// Returns how many round trips were removed.
pub fn strip_requantization(graph: &mut GraphProto) -> usize {
    if has_subgraphs(graph) {
        return 0;
    }
    let mut readers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, node) in graph.node.iter().enumerate() {
        for input in &node.input {
            readers.entry(input.as_str()).or_default().push(index);
        }
    }
    let outputs: HashSet<&str> = graph.output.iter().map(|o| o.name.as_str()).collect();
    let mut taken = tensor_names(graph);
    let mut stripped = 0;
    let mut removed = HashSet::new();
    let mut clips: HashMap<usize, (String, [f32; 2])> = HashMap::new();
    for (index, node) in graph.node.iter().enumerate() {
        let Some(quantize) = quantisation(node, "QuantizeLinear", &graph.initializer) else {
            continue;
        };
        let [output] = &node.output[..] else { continue };
        let Some(reading) = readers.get(output.as_str()) else {
            continue;
        };
        let round_trip = reading.iter().all(|reader| {
            let reader = &graph.node[*reader];
            reader.input.first() == Some(output)
                && reader.output.len() == 1
                && quantisation(reader, "DequantizeLinear", &graph.initializer)
                    .is_some_and(|dequantize| dequantize == quantize)
        });
        if outputs.contains(output.as_str()) || !round_trip {
            continue;
        }
        // Named after each reader's output, which is unique; skipped if a name is taken.
        let names: Vec<String> = reading
            .iter()
            .flat_map(|reader| clip_names(&graph.node[*reader].output[0]))
            .collect();
        if names.iter().any(|name| taken.contains(name)) {
            continue;
        }
        taken.extend(names);
        stripped += 1;
        removed.insert(index);
        for reader in reading {
            removed.insert(*reader);
            clips.insert(*reader, (node.input[0].clone(), quantize.float_range()));
        }
    }
    let mut constants = Vec::new();
    let mut nodes = Vec::with_capacity(graph.node.len());
    for (index, node) in std::mem::take(&mut graph.node).into_iter().enumerate() {
        if let Some((input, [low, high])) = clips.remove(&index) {
            let [min, max, name] = clip_names(&node.output[0]);
            constants.push(float_tensor(&min, Vec::new(), vec![low]));
            constants.push(float_tensor(&max, Vec::new(), vec![high]));
            let mut clip = operator("Clip", &name, &[&input, &min, &max]);
            clip.output = node.output;
            nodes.push(clip);
        } else if !removed.contains(&index) {
            nodes.push(node);
        }
    }
    graph.node = nodes;
    graph.initializer.extend(constants);
    stripped
}

/// The version of the default (`ai.onnx`) operator set `model` imports.
fn onnx_opset(model: &ModelProto) -> Option<i64> {
    model
        .opset_import
        .iter()
        .find(|set| set.domain.is_empty() || set.domain == "ai.onnx")
        .map(|set| set.version)
}

/// The names of the `Clip` that replaces the round trip ending in `output`: its lower and
/// upper bounds and the node itself.
fn clip_names(output: &str) -> [String; 3] {
    ["min", "max", "clip"].map(|part| format!("{output}/float/{part}"))
}

/// Whether a node of `graph` carries a subgraph (`If`, `Loop`, `Scan`), whose reads of outer
/// tensors the rewrites here do not follow.
fn has_subgraphs(graph: &GraphProto) -> bool {
    graph.node.iter().any(|node| {
        node.attribute
            .iter()
            .any(|attribute| attribute.g.is_some() || !attribute.graphs.is_empty())
    })
}

/// The scale and zero point of a `QuantizeLinear` or `DequantizeLinear` node, when both are
/// per-tensor initializers.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Quantisation {
    scale: f32,
    zero: i32,
    unsigned: bool,
}

impl Quantisation {
    /// The float values this quantisation can represent, lowest and highest.
    fn float_range(self) -> [f32; 2] {
        let (low, high) = if self.unsigned { (0, 255) } else { (-128, 127) };
        [
            (low - self.zero) as f32 * self.scale,
            (high - self.zero) as f32 * self.scale,
        ]
    }
}

fn quantisation(
    node: &NodeProto,
    op_type: &str,
    initializers: &[TensorProto],
) -> Option<Quantisation> {
    if node.op_type != op_type || !node.domain.is_empty() || node.input.len() != 3 {
        return None;
    }
    let find = |index: usize| {
        initializers
            .iter()
            .find(|tensor| tensor.name == node.input[index])
    };
    if node.attribute.iter().any(|a| a.name == "axis") {
        return None;
    }
    let scale = float_scalar_value(find(1)?)?;
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    let zero = find(2)?;
    if !zero.dims.is_empty() {
        return None;
    }
    let (zero, unsigned) = match uint8_values(zero) {
        Some(values) => (i32::from(*values.first()?), true),
        None => (i32::from(*int8_values(zero)?.first()?), false),
    };
    Some(Quantisation {
        scale,
        zero,
        unsigned,
    })
}

/// A `QLinearConv`'s weights and bias in float.
struct FloatConvolution {
    weight_dims: Vec<i64>,
    weights: Vec<f32>,
    bias: Vec<f32>,
}

fn float_convolution(node: &NodeProto, initializers: &[TensorProto]) -> Option<FloatConvolution> {
    if node.op_type != "QLinearConv" || !node.domain.is_empty() || node.output.len() != 1 {
        return None;
    }
    let find = |index: usize| {
        let name = node.input.get(index)?;
        initializers.iter().find(|tensor| &tensor.name == name)
    };
    let input_scale = float_scalar_value(find(1)?)?;
    let weights = find(3)?;
    let values = int8_values(weights)?;
    let channels = usize::try_from(*weights.dims.first()?).ok()?;
    let scales = float_values(find(4)?)?;
    let zeros = int8_values(find(5)?)?;
    let per_channel = |values: &[f32], channel| per_channel(values, channels, channel);
    if channels == 0 || values.len() % channels != 0 {
        return None;
    }
    let per_filter = values.len() / channels;
    if per_filter == 0 {
        return None;
    }
    let mut float = Vec::with_capacity(values.len());
    for (channel, filter) in values.chunks(per_filter).enumerate() {
        let scale = per_channel(&scales, channel)?;
        let zero = i32::from(self::per_channel(&zeros, channels, channel)?);
        float.extend(filter.iter().map(|w| (i32::from(*w) - zero) as f32 * scale));
    }
    let bias = match find(8) {
        Some(bias) => int32_values(bias)?
            .iter()
            .enumerate()
            .map(|(channel, b)| Some(*b as f32 * input_scale * per_channel(&scales, channel)?))
            .collect::<Option<Vec<f32>>>()?,
        None if node.input.len() <= 8 => vec![0.0; channels],
        None => return None,
    };
    (bias.len() == channels).then_some(FloatConvolution {
        weight_dims: weights.dims.clone(),
        weights: float,
        bias,
    })
}

/// Splits a model with one input and one output into consecutive pieces of about
/// `piece_nodes` nodes each, joined by one float tensor: piece `k`'s only output is piece
/// `k + 1`'s only input.
///
/// tract's optimiser costs grow with the square of a graph's size, so optimising pieces
/// costs less than the whole. Cuts fall only where exactly one tensor crosses and that
/// tensor comes from an operator with a float output (`Relu`, `Add`, `Mul`,
/// `DequantizeLinear`, `Clip`). A model that has subgraphs, or no such cut, stays whole.
pub fn split(mut model: ModelProto, piece_nodes: usize) -> Vec<ModelProto> {
    let Some(graph) = model.graph.take() else {
        return vec![model];
    };
    let cuts = cut_points(&graph, piece_nodes);
    if cuts.is_empty() {
        model.graph = Some(graph);
        return vec![model];
    }
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().map(|(index, _)| *index));
    bounds.push(graph.node.len());
    let ends = |k: usize| {
        let inputs: Vec<&str> = match k {
            0 => graph
                .input
                .iter()
                .map(|input| input.name.as_str())
                .collect(),
            _ => vec![cuts[k - 1].1.as_str()],
        };
        let outputs: Vec<&str> = match cuts.get(k) {
            Some((_, tensor)) => vec![tensor.as_str()],
            None => graph
                .output
                .iter()
                .map(|output| output.name.as_str())
                .collect(),
        };
        (inputs, outputs)
    };
    let initializers: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let contained = bounds.windows(2).enumerate().all(|(k, range)| {
        let (inputs, outputs) = ends(k);
        self_contained(
            &graph.node[range[0]..range[1]],
            &initializers,
            &inputs,
            &outputs,
        )
    });
    if !contained {
        model.graph = Some(graph);
        return vec![model];
    }
    // Each initializer moves into the last piece that reads it, copied into earlier ones.
    let mut initializer_of: Vec<Vec<TensorProto>> = vec![Vec::new(); bounds.len() - 1];
    for tensor in graph.initializer {
        let readers: Vec<usize> = bounds
            .windows(2)
            .enumerate()
            .filter(|(_, range)| {
                graph.node[range[0]..range[1]]
                    .iter()
                    .any(|node| node.input.contains(&tensor.name))
            })
            .map(|(k, _)| k)
            .collect();
        if let Some((last, earlier)) = readers.split_last() {
            for k in earlier {
                initializer_of[*k].push(tensor.clone());
            }
            initializer_of[*last].push(tensor);
        }
    }
    let mut nodes = graph.node.into_iter();
    let mut first_input = Some(graph.input);
    let mut last_output = Some(graph.output);
    let mut pieces = Vec::with_capacity(bounds.len() - 1);
    for (k, (range, initializer)) in bounds.windows(2).zip(initializer_of).enumerate() {
        let input = match k {
            0 => first_input.take().unwrap_or_default(),
            _ => vec![float_input(&cuts[k - 1].1)],
        };
        let output = match cuts.get(k) {
            Some((_, tensor)) => vec![ValueInfoProto {
                name: tensor.clone(),
                ..ValueInfoProto::default()
            }],
            None => last_output.take().unwrap_or_default(),
        };
        pieces.push(ModelProto {
            graph: Some(GraphProto {
                name: format!("{}#{k}", graph.name),
                node: nodes.by_ref().take(range[1] - range[0]).collect(),
                initializer,
                input,
                output,
                ..GraphProto::default()
            }),
            ..model.clone()
        });
    }
    pieces
}

/// Whether every tensor `nodes` read is made by one of them before, is an initializer or is
/// one of `inputs`, and each of `outputs` is made (a graph out of topological order could
/// break that).
fn self_contained(
    nodes: &[NodeProto],
    initializers: &HashSet<&str>,
    inputs: &[&str],
    outputs: &[&str],
) -> bool {
    let mut known: HashSet<&str> = inputs.iter().copied().collect();
    nodes.iter().all(|node| {
        let inputs_known = node.input.iter().all(|input| {
            input.is_empty()
                || known.contains(input.as_str())
                || initializers.contains(input.as_str())
        });
        known.extend(node.output.iter().map(String::as_str));
        inputs_known
    }) && outputs.iter().all(|output| known.contains(output))
}

/// Where [`split`] cuts: node indexes with the one tensor crossing before each.
fn cut_points(graph: &GraphProto, piece_nodes: usize) -> Vec<(usize, String)> {
    if has_subgraphs(graph) || graph.input.len() != 1 || graph.output.len() != 1 || piece_nodes == 0
    {
        return Vec::new();
    }
    let initializers: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let mut last_use: HashMap<&str, usize> = HashMap::new();
    for (index, node) in graph.node.iter().enumerate() {
        for input in &node.input {
            last_use.insert(input.as_str(), index);
        }
    }
    for output in &graph.output {
        last_use.insert(output.name.as_str(), usize::MAX);
    }
    let mut live: HashMap<&str, &str> = graph
        .input
        .iter()
        .map(|input| (input.name.as_str(), ""))
        .collect();
    let mut cuts = Vec::new();
    let mut piece_start = 0;
    for (index, node) in graph.node.iter().enumerate() {
        live.retain(|tensor, _| last_use.get(tensor).is_some_and(|last| *last >= index));
        let crossing = live.iter().next().filter(|_| live.len() == 1);
        let float_producer =
            |op: &&str| matches!(*op, "Relu" | "Add" | "Mul" | "DequantizeLinear" | "Clip");
        let remaining = graph.node.len() - index;
        if let Some((tensor, _)) = crossing.filter(|(_, op)| float_producer(op))
            && index - piece_start >= piece_nodes
            && remaining >= piece_nodes / 2
        {
            cuts.push((index, (*tensor).to_owned()));
            piece_start = index;
        }
        for output in node.output.iter().filter(|o| !o.is_empty()) {
            if !initializers.contains(output.as_str()) {
                live.insert(output.as_str(), node.op_type.as_str());
            }
        }
    }
    cuts
}

fn float_input(name: &str) -> ValueInfoProto {
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type: tensor_proto::DataType::Float as i32,
                shape: None,
            })),
            ..TypeProto::default()
        }),
        ..ValueInfoProto::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{DETECTOR_FILE, EMBEDDER_FILE, ModelFile};
    use tract_onnx::prelude::Framework;

    fn proto(file: &str) -> ModelProto {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
        let file = ModelFile::read(&path.join(file)).unwrap();
        tract_onnx::onnx()
            .proto_model_for_read(&mut file.bytes.as_slice())
            .unwrap()
    }

    fn count(graph: &GraphProto, op_type: &str) -> usize {
        graph.node.iter().filter(|n| n.op_type == op_type).count()
    }

    #[test]
    fn every_int8_convolution_of_facenet_becomes_a_float_one() {
        let mut graph = proto(EMBEDDER_FILE).graph.unwrap();
        let quantized = count(&graph, "QLinearConv");
        let floats = count(&graph, "Conv");
        assert_eq!(dequantize_convolutions(&mut graph), quantized);
        assert_eq!(count(&graph, "QLinearConv"), 0);
        assert_eq!(count(&graph, "Conv"), floats + quantized);
        let weights = graph
            .initializer
            .iter()
            .find(|t| t.name.ends_with("/float/weights"))
            .unwrap();
        assert_eq!(weights.dims.len(), 4);
        assert!(weights.float_data.iter().any(|w| *w != 0.0));
    }

    #[test]
    fn float_facenet_keeps_no_round_trip_through_eight_bits() {
        let mut graph = proto(EMBEDDER_FILE).graph.unwrap();
        dequantize_convolutions(&mut graph);
        let quantizations = count(&graph, "QuantizeLinear");
        let stripped = strip_requantization(&mut graph);
        assert!(stripped > 100, "{stripped} of {quantizations} stripped");
        assert_eq!(count(&graph, "QuantizeLinear"), quantizations - stripped);
        assert!(count(&graph, "Clip") >= stripped);
        let made: HashSet<&str> = graph
            .node
            .iter()
            .flat_map(|n| n.output.iter().map(String::as_str))
            .chain(graph.initializer.iter().map(|t| t.name.as_str()))
            .chain(graph.input.iter().map(|i| i.name.as_str()))
            .collect();
        for node in &graph.node {
            assert!(
                node.input
                    .iter()
                    .all(|i| i.is_empty() || made.contains(i.as_str()))
            );
        }
        let model = ModelProto {
            graph: Some(graph),
            ..proto(EMBEDDER_FILE)
        };
        assert!(split(model, 40).len() > 1, "the float graph still splits");
    }

    /// `x` → QuantizeLinear → `q` → DequantizeLinear → `y` (scale 0.5, zero point 10),
    /// with `scale` as the dequantisation's scale.
    fn round_trip(scale: f32) -> GraphProto {
        let zero = |name: &str| TensorProto {
            name: name.into(),
            data_type: tensor_proto::DataType::Uint8 as i32,
            raw_data: vec![10],
            ..TensorProto::default()
        };
        let mut quantize = operator("QuantizeLinear", "q", &["x", "s", "z"]);
        quantize.output = vec!["q".into()];
        let mut dequantize = operator("DequantizeLinear", "dq", &["q", "s2", "z2"]);
        dequantize.output = vec!["y".into()];
        GraphProto {
            node: vec![quantize, dequantize],
            initializer: vec![
                float_tensor("s", Vec::new(), vec![0.5]),
                float_tensor("s2", Vec::new(), vec![scale]),
                zero("z"),
                zero("z2"),
            ],
            input: vec![float_input("x")],
            output: vec![ValueInfoProto {
                name: "y".into(),
                ..ValueInfoProto::default()
            }],
            ..GraphProto::default()
        }
    }

    #[test]
    fn a_round_trip_becomes_a_clip_to_the_quantised_range() {
        let mut graph = round_trip(0.5);
        assert_eq!(strip_requantization(&mut graph), 1);
        assert_eq!(graph.node.len(), 1);
        let clip = &graph.node[0];
        assert_eq!(
            (clip.op_type.as_str(), clip.output[0].as_str()),
            ("Clip", "y")
        );
        let bound = |name: &str| {
            let tensor = graph.initializer.iter().find(|t| t.name == name).unwrap();
            float_scalar_value(tensor).unwrap()
        };
        assert_eq!(bound(&clip.input[1]), -5.0);
        assert_eq!(bound(&clip.input[2]), 122.5);
    }

    #[test]
    fn round_trips_that_change_the_values_or_are_read_elsewhere_stay() {
        let mut other_scale = round_trip(0.25);
        assert_eq!(strip_requantization(&mut other_scale), 0);
        let mut read_elsewhere = round_trip(0.5);
        read_elsewhere.output[0].name = "q".into();
        assert_eq!(strip_requantization(&mut read_elsewhere), 0);
        let mut zero_scale = round_trip(0.0);
        zero_scale.initializer[0] = float_tensor("s", Vec::new(), vec![0.0]);
        assert_eq!(strip_requantization(&mut zero_scale), 0);
        let mut name_taken = round_trip(0.5);
        name_taken
            .initializer
            .push(float_tensor("y/float/min", Vec::new(), vec![0.0]));
        assert_eq!(strip_requantization(&mut name_taken), 0);
        assert_eq!(name_taken.node.len(), 2);
    }

    #[test]
    fn facenet_splits_into_pieces_joined_by_one_tensor() {
        let model = proto(EMBEDDER_FILE);
        let nodes = model.graph.as_ref().unwrap().node.len();
        let whole = model.graph.as_ref().unwrap();
        let read: HashSet<&str> = whole
            .node
            .iter()
            .flat_map(|n| n.input.iter().map(String::as_str))
            .collect();
        let initializers = whole
            .initializer
            .iter()
            .filter(|t| read.contains(t.name.as_str()))
            .count();
        let pieces = split(model.clone(), 40);
        assert!(pieces.len() >= 4, "{} pieces", pieces.len());
        let graphs: Vec<&GraphProto> = pieces.iter().map(|p| p.graph.as_ref().unwrap()).collect();
        assert_eq!(graphs.iter().map(|g| g.node.len()).sum::<usize>(), nodes);
        let moved: usize = graphs.iter().map(|g| g.initializer.len()).sum();
        assert!(
            moved >= initializers - 1,
            "{moved} of {initializers} initializers"
        );
        for graph in &graphs {
            let names: HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
            let inputs: Vec<&str> = graph.input.iter().map(|i| i.name.as_str()).collect();
            let outputs: Vec<&str> = graph.output.iter().map(|o| o.name.as_str()).collect();
            assert!(self_contained(&graph.node, &names, &inputs, &outputs));
        }
        for pair in graphs.windows(2) {
            assert_eq!(pair[0].output.len(), 1);
            assert_eq!(pair[1].input.len(), 1);
            assert_eq!(pair[0].output[0].name, pair[1].input[0].name);
        }
        for graph in graphs {
            assert!(graph.node.len() >= 20, "a piece of {}", graph.node.len());
        }
    }

    #[test]
    fn unnamed_convolutions_get_names_of_their_own() {
        let mut graph = proto(EMBEDDER_FILE).graph.unwrap();
        for node in &mut graph.node {
            node.name.clear();
        }
        let quantized = count(&graph, "QLinearConv");
        assert_eq!(dequantize_convolutions(&mut graph), quantized);
        let mut names = HashSet::new();
        let outputs = graph.node.iter().flat_map(|n| n.output.iter());
        let initializers = graph.initializer.iter().map(|t| &t.name);
        assert!(outputs.chain(initializers).all(|name| names.insert(name)));
    }

    #[test]
    fn weights_without_their_values_are_left_alone() {
        let mut graph = proto(EMBEDDER_FILE).graph.unwrap();
        for tensor in &mut graph.initializer {
            if tensor.data_type == tensor_proto::DataType::Int8 as i32 {
                tensor.raw_data.clear();
                tensor.int32_data.clear();
            }
        }
        assert_eq!(dequantize_convolutions(&mut graph), 0);
    }

    #[test]
    fn a_graph_out_of_order_stays_whole() {
        let mut model = proto(EMBEDDER_FILE);
        let graph = model.graph.as_mut().unwrap();
        let last = graph.node.len() - 1;
        graph.node.swap(10, last);
        assert_eq!(split(model, 40).len(), 1);
    }

    #[test]
    fn a_model_of_several_outputs_or_a_whole_request_stays_whole() {
        assert_eq!(split(proto(DETECTOR_FILE), 10).len(), 1);
        assert_eq!(split(proto(EMBEDDER_FILE), 0).len(), 1);
    }
}
